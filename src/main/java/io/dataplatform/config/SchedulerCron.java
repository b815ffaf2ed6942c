package io.dataplatform.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EventBridge Scheduler's cron expressions, {@code cron(minutes hours day-of-month month
 * day-of-week year)}, checked field by field the way the service documents them: ranges, lists,
 * increments, names, the {@code L}/{@code W}/{@code #} forms, and exactly one of day-of-month and
 * day-of-week as {@code ?}. A wrong expression is reported at synth time, not by CloudFormation.
 */
final class SchedulerCron {
    private static final Pattern SHAPE = Pattern.compile("cron\\((\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)\\)");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private SchedulerCron() {
    }

    /** Empty when valid; otherwise what is wrong. */
    static Optional<String> problem(String expression) {
        Matcher m = SHAPE.matcher(expression);
        if (!m.matches()) {
            return Optional.of("must be cron(minutes hours day-of-month month day-of-week year), six fields");
        }
        String dom = m.group(3);
        String dow = m.group(5);
        if (dom.equals("?") == dow.equals("?")) {
            return Optional.of("exactly one of day-of-month and day-of-week must be ?, got \"" + dom + "\" and \"" + dow + "\"");
        }
        return field("minutes", m.group(1), 0, 59, List.of(), false)
                .or(() -> field("hours", m.group(2), 0, 23, List.of(), false))
                .or(() -> dom.equals("?") ? Optional.empty() : dayOfMonth(dom))
                .or(() -> field("month", m.group(4), 1, 12, MONTHS, false))
                .or(() -> dow.equals("?") ? Optional.empty() : dayOfWeek(dow))
                .or(() -> field("year", m.group(6), 1970, 2199, List.of(), false));
    }

    private static Optional<String> dayOfMonth(String value) {
        if (value.equals("L") || value.matches("([1-9]|[12]\\d|3[01])W") || value.equals("LW")) {
            return Optional.empty();
        }
        return field("day-of-month", value, 1, 31, List.of(), false);
    }

    private static Optional<String> dayOfWeek(String value) {
        Matcher nth = Pattern.compile("(\\w+)#([1-5])").matcher(value);
        if (nth.matches()) {
            return field("day-of-week", nth.group(1), 1, 7, DAYS, true);
        }
        if (value.endsWith("L") && value.length() > 1) {
            return field("day-of-week", value.substring(0, value.length() - 1), 1, 7, DAYS, true);
        }
        return field("day-of-week", value, 1, 7, DAYS, false);
    }

    /** A list of *, values, ranges a-b and increments x/n, numbers within [min, max] or names. */
    private static Optional<String> field(String name, String value, int min, int max, List<String> names, boolean single) {
        for (String item : value.split(",", -1)) {
            if (single && value.contains(",")) {
                return Optional.of(name + " \"" + value + "\" cannot be a list here");
            }
            String[] step = item.split("/", -1);
            if (step.length > 2 || (step.length == 2 && !step[1].matches("\\d{1,4}"))) {
                return Optional.of(name + " \"" + item + "\" has a bad increment");
            }
            String range = step[0];
            if (range.equals("*")) {
                continue;
            }
            String[] ends = range.split("-", -1);
            if (ends.length > 2) {
                return Optional.of(name + " \"" + item + "\" is not a value, range or increment");
            }
            for (String end : ends) {
                int number;
                if (end.matches("\\d{1,4}")) {
                    number = Integer.parseInt(end);
                } else if (names.contains(end.toUpperCase(java.util.Locale.ROOT))) {
                    continue;
                } else {
                    return Optional.of(name + " \"" + end + "\" is not a number" + (names.isEmpty() ? "" : " or a name such as "
                            + names.get(0)));
                }
                if (number < min || number > max) {
                    return Optional.of(name + " " + number + " is out of range " + min + "-" + max);
                }
            }
        }
        return Optional.empty();
    }
}

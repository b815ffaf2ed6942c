package io.dataplatform.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads one JSON object of the configuration. Every read records its key as known, so
 * {@link #rejectUnknownKeys()} can report typos; every bad value becomes a {@link ConfigProblem}
 * with its full key path and the reader carries on with the default, so all problems are
 * reported together.
 */
final class ConfigSection {
    private final String path;
    private final Map<String, Object> values;
    private final List<ConfigProblem> problems;
    private final Set<String> knownKeys = new LinkedHashSet<>();

    private ConfigSection(String path, Map<String, Object> values, List<ConfigProblem> problems) {
        this.path = path;
        this.values = values;
        this.problems = problems;
    }

    /** A section for {@code raw}; an absent section is empty, anything but an object is a problem. */
    static ConfigSection of(String path, Object raw, List<ConfigProblem> problems) {
        if (raw == null) {
            return new ConfigSection(path, Map.of(), problems);
        }
        if (!(raw instanceof Map<?, ?> map)) {
            problems.add(new ConfigProblem(path, "must be an object, got " + describe(raw)));
            return new ConfigSection(path, Map.of(), problems);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return new ConfigSection(path, copy, problems);
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return path + "." + key;
    }

    Set<String> presentKeys() {
        return values.keySet();
    }

    void problem(String key, String message) {
        problems.add(new ConfigProblem(pathOf(key), message));
    }

    /**
     * A key present with the JSON value null: only lifecycle day counts take null (= off, see
     * {@link #optionalInteger}); anywhere else it is reported, never silently taken as the default.
     */
    private boolean rejectNull(String key) {
        if (values.containsKey(key) && values.get(key) == null) {
            problem(key, "must not be null (null switches off only the lifecycle day counts); "
                    + "remove the key to get the default");
            return true;
        }
        return false;
    }

    ConfigSection section(String key) {
        knownKeys.add(key);
        rejectNull(key);
        return of(pathOf(key), values.get(key), problems);
    }

    /** Marks a key as allowed without reading it (for keys whose value is read elsewhere). */
    Object raw(String key) {
        knownKeys.add(key);
        rejectNull(key);
        return values.get(key);
    }

    String string(String key, String defaultValue, Pattern pattern, String allowed) {
        knownKeys.add(key);
        rejectNull(key);
        Object raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        if (!(raw instanceof String s) || !pattern.matcher(s).matches()) {
            problem(key, "must be " + allowed + ", got " + describeNotString(raw));
            return defaultValue;
        }
        return s;
    }

    boolean bool(String key, boolean defaultValue) {
        knownKeys.add(key);
        rejectNull(key);
        Object raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        if (!(raw instanceof Boolean b)) {
            problem(key, "must be true or false, got " + describeType(raw));
            return defaultValue;
        }
        return b;
    }

    int integer(String key, int defaultValue, int min, int max) {
        knownKeys.add(key);
        if (rejectNull(key)) {
            return defaultValue;
        }
        Integer value = optionalInteger(key, defaultValue, min, max);
        return value == null ? defaultValue : value;
    }

    /**
     * A whole number, or {@code null} when the key is present with the JSON value null
     * (which switches the setting off); the default when the key is absent.
     */
    Integer optionalInteger(String key, Integer defaultValue, int min, int max) {
        knownKeys.add(key);
        if (!values.containsKey(key)) {
            return defaultValue;
        }
        Object raw = values.get(key);
        if (raw == null) {
            return null;
        }
        String range = max == Integer.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
        if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            problem(key, "must be a whole number " + range + ", got " + describeType(raw));
            return defaultValue;
        }
        long value = n.longValue();
        if (value < min || value > max) {
            problem(key, "must be a whole number " + range + ", got " + value);
            return defaultValue;
        }
        return (int) value;
    }

    <E extends Enum<E>> E choice(String key, E defaultValue, Class<E> type) {
        knownKeys.add(key);
        rejectNull(key);
        Object raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        List<String> allowed = Arrays.stream(type.getEnumConstants()).map(ConfigSection::configName).toList();
        for (E constant : type.getEnumConstants()) {
            if (configName(constant).equals(raw)) {
                return constant;
            }
        }
        problem(key, "must be one of " + String.join(" | ", allowed) + ", got " + describeNotString(raw));
        return defaultValue;
    }

    /** @param allowed one item, e.g. "an e-mail address"; @param allowedItems several, e.g. "e-mail addresses" */
    List<String> stringList(String key, Pattern pattern, String allowed, String allowedItems) {
        knownKeys.add(key);
        rejectNull(key);
        Object raw = values.get(key);
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            problem(key, "must be a list of " + allowedItems + ", got " + describe(raw));
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (item instanceof String s && pattern.matcher(s).matches()) {
                result.add(s);
            } else {
                problems.add(new ConfigProblem(pathOf(key) + "[" + i + "]", "must be " + allowed + ", got " + describeNotString(item)));
            }
        }
        return List.copyOf(result);
    }

    Map<String, String> stringMap(String key) {
        knownKeys.add(key);
        rejectNull(key);
        Object raw = values.get(key);
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?> map)) {
            problem(key, "must be an object of string values, got " + describe(raw));
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v instanceof String s) {
                result.put(String.valueOf(k), s);
            } else {
                problems.add(new ConfigProblem(pathOf(key) + "." + k, "must be a string, got " + describeNotString(v)));
            }
        });
        return result;
    }

    /** Reports every present key that no read asked for: typos must not pass silently. */
    void rejectUnknownKeys() {
        for (String key : values.keySet()) {
            if (!knownKeys.contains(key)) {
                problems.add(new ConfigProblem(pathOf(key), "unknown key; allowed keys here: "
                        + knownKeys.stream().sorted().collect(Collectors.joining(", "))));
            }
        }
    }

    static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** For a value of the wrong JSON type: says that a string is a string ("3" is not 3). */
    static String describeType(Object raw) {
        return raw instanceof String ? "the string " + describe(raw) : describe(raw);
    }

    /** For keys that take a string: a number or boolean says which it is ({@code got the number 5}). */
    static String describeNotString(Object raw) {
        if (raw instanceof Number) {
            return "the number " + describe(raw);
        }
        if (raw instanceof Boolean) {
            return "the boolean " + raw;
        }
        return describe(raw);
    }

    static String describe(Object raw) {
        if (raw == null) {
            return "null";
        }
        if (raw instanceof String s) {
            return "\"" + s + "\"";
        }
        if (raw instanceof Map) {
            return "an object";
        }
        if (raw instanceof List) {
            return "a list";
        }
        if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return String.valueOf(n.longValue());
        }
        return String.valueOf(raw);
    }
}

package io.dataplatform.guard;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One pass of the guard: decide for every active cluster, terminate (unless dry run), and
 * report. An API error on one cluster is reported and the others are still handled.
 */
public final class GuardRun {
    /** The outcome of one pass. */
    public record Summary(List<Decision> decisions, List<String> terminated, List<String> errors, boolean dryRun) {
        public String text() {
            StringBuilder s = new StringBuilder();
            s.append(dryRun ? "[dry run] " : "").append("EMR cluster guard: ").append(terminated.size())
                    .append(dryRun ? " cluster(s) would be terminated" : " cluster(s) terminated").append('\n');
            decisions.forEach(d -> s.append("- ").append(d.cluster().id()).append(" (").append(d.cluster().name()).append("): ")
                    .append(d.terminate() ? (dryRun ? "would terminate" : "terminated") : "kept").append(", ").append(d.reason()).append('\n'));
            errors.forEach(e -> s.append("! ").append(e).append('\n'));
            return s.toString();
        }

        public boolean worthReporting() {
            return !terminated.isEmpty() || !errors.isEmpty();
        }
    }

    private GuardRun() {
    }

    public static Summary run(EmrClusters emr, GuardSettings settings, Clock clock, Consumer<String> log) {
        List<Decision> decisions = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String id : emr.activeClusterIds()) {
            try {
                Decision decision = ClusterGuard.decide(emr.describe(id), clock.instant(), settings);
                decisions.add(decision);
                log.accept(id + ": " + decision.action() + " (" + decision.reason() + ")");
            } catch (RuntimeException e) {
                errors.add(id + ": " + e.getMessage());
            }
        }
        List<String> toTerminate = decisions.stream().filter(Decision::terminate).map(d -> d.cluster().id()).collect(Collectors.toList());
        if (!toTerminate.isEmpty() && !settings.dryRun()) {
            try {
                emr.terminate(toTerminate);
            } catch (RuntimeException e) {
                errors.add("TerminateJobFlows " + toTerminate + ": " + e.getMessage());
                toTerminate = List.of();
            }
        }
        return new Summary(decisions, toTerminate, errors, settings.dryRun());
    }
}

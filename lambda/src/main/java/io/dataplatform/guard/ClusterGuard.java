package io.dataplatform.guard;

import java.time.Duration;
import java.time.Instant;

/** The guard's decision rule, free of any AWS call so it can be tested on fixtures. */
public final class ClusterGuard {
    private ClusterGuard() {
    }

    public static Decision decide(ClusterView c, Instant now, GuardSettings settings) {
        if (!settings.project().equals(c.tags().get(GuardSettings.PROJECT_TAG))
                || !settings.environment().equals(c.tags().get(GuardSettings.ENVIRONMENT_TAG))) {
            return keep(c, "not a cluster of " + settings.project() + "/" + settings.environment());
        }
        if ("true".equalsIgnoreCase(c.tags().get(GuardSettings.KEEP_ALIVE_TAG))) {
            return keep(c, "tagged keep-alive=true");
        }
        if (c.terminationProtected()) {
            return keep(c, "termination protection is on");
        }
        Duration age = Duration.between(c.createdAt(), now);
        if (age.compareTo(settings.maxAge()) > 0) {
            return new Decision(c, Decision.Action.TERMINATE, "older than " + settings.maxAge().toHours() + " h (age "
                    + age.toMinutes() + " min)");
        }
        if ("WAITING".equals(c.state()) && c.activeSteps() == 0 && c.idleSince() != null) {
            Duration idle = Duration.between(c.idleSince(), now);
            if (idle.compareTo(settings.maxIdle()) > 0) {
                return new Decision(c, Decision.Action.TERMINATE, "idle for " + idle.toMinutes() + " min (limit "
                        + settings.maxIdle().toMinutes() + " min)");
            }
            return keep(c, "idle for " + idle.toMinutes() + " min, under the limit");
        }
        return keep(c, c.state() + " with " + c.activeSteps() + " active step(s)");
    }

    private static Decision keep(ClusterView c, String reason) {
        return new Decision(c, Decision.Action.KEEP, reason);
    }
}

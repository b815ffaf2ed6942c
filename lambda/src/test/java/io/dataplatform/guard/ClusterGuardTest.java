package io.dataplatform.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterGuardTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final GuardSettings SETTINGS = new GuardSettings("dataplat", "dev", Duration.ofMinutes(30), Duration.ofHours(6),
            false, "arn:aws:sns:us-east-1:111122223333:alarms", "DataPlatform/dataplat-dev/Guard");

    static ClusterView cluster(String state, Duration age, Duration idle, int activeSteps, boolean protectedCluster,
                               Map<String, String> extraTags) {
        Map<String, String> tags = new HashMap<>(Map.of("Project", "dataplat", "Environment", "dev"));
        tags.putAll(extraTags);
        return new ClusterView("j-1", "pipeline", state, NOW.minus(age), idle == null ? null : NOW.minus(idle), activeSteps,
                protectedCluster, tags);
    }

    @Test
    void terminatesAClusterIdleLongerThanTheLimit() {
        Decision d = ClusterGuard.decide(cluster("WAITING", Duration.ofHours(1), Duration.ofMinutes(31), 0, false, Map.of()), NOW, SETTINGS);
        assertThat(d.terminate()).isTrue();
        assertThat(d.reason()).isEqualTo("idle for 31 min (limit 30 min)");
    }

    @Test
    void keepsAClusterIdleForLessThanTheLimit() {
        assertThat(ClusterGuard.decide(cluster("WAITING", Duration.ofHours(1), Duration.ofMinutes(29), 0, false, Map.of()), NOW, SETTINGS)
                .terminate()).isFalse();
    }

    @Test
    void keepsAWaitingClusterWithPendingSteps() {
        Decision d = ClusterGuard.decide(cluster("WAITING", Duration.ofHours(1), Duration.ofHours(1), 1, false, Map.of()), NOW, SETTINGS);
        assertThat(d.terminate()).isFalse();
        assertThat(d.reason()).contains("1 active step");
    }

    @Test
    void terminatesAClusterOlderThanTheMaximumAgeEvenWhileBusy() {
        Decision d = ClusterGuard.decide(cluster("RUNNING", Duration.ofHours(7), null, 2, false, Map.of()), NOW, SETTINGS);
        assertThat(d.terminate()).isTrue();
        assertThat(d.reason()).startsWith("older than 6 h");
    }

    @Test
    void keepAliveTagAndTerminationProtectionWin() {
        assertThat(ClusterGuard.decide(cluster("WAITING", Duration.ofHours(9), Duration.ofHours(2), 0, false,
                Map.of("keep-alive", "true")), NOW, SETTINGS).reason()).isEqualTo("tagged keep-alive=true");
        assertThat(ClusterGuard.decide(cluster("WAITING", Duration.ofHours(9), Duration.ofHours(2), 0, true, Map.of()), NOW, SETTINGS)
                .reason()).isEqualTo("termination protection is on");
    }

    @Test
    void leavesClustersOfOtherProjectsAndEnvironmentsAlone() {
        assertThat(ClusterGuard.decide(cluster("WAITING", Duration.ofHours(9), Duration.ofHours(2), 0, false,
                Map.of("Environment", "prod")), NOW, SETTINGS).terminate()).isFalse();
        ClusterView untagged = new ClusterView("j-2", "other", "WAITING", NOW.minus(Duration.ofHours(9)), NOW, 0, false, Map.of());
        assertThat(ClusterGuard.decide(untagged, NOW, SETTINGS).terminate()).isFalse();
    }
}

package io.dataplatform.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardRunTest {
    /** EMR with fixed clusters; "j-broken" fails to describe. */
    static final class FakeEmr extends EmrClusters {
        final Map<String, ClusterView> clusters;
        final List<List<String>> terminated = new ArrayList<>();

        FakeEmr(Map<String, ClusterView> clusters) {
            super(null);
            this.clusters = clusters;
        }

        @Override
        public List<String> activeClusterIds() {
            return new ArrayList<>(new java.util.TreeSet<>(clusters.keySet()));
        }

        @Override
        public ClusterView describe(String id) {
            if (id.equals("j-broken")) {
                throw new IllegalStateException("ThrottlingException: Rate exceeded");
            }
            return clusters.get(id);
        }

        @Override
        public void terminate(List<String> ids) {
            terminated.add(ids);
        }
    }

    static final Clock CLOCK = Clock.fixed(ClusterGuardTest.NOW, ZoneOffset.UTC);

    static Map<String, ClusterView> fleet() {
        ClusterView idle = ClusterGuardTest.cluster("WAITING", Duration.ofHours(1), Duration.ofHours(1), 0, false, Map.of());
        ClusterView busy = ClusterGuardTest.cluster("RUNNING", Duration.ofHours(1), null, 1, false, Map.of());
        return Map.of("j-idle", rename(idle, "j-idle"), "j-busy", rename(busy, "j-busy"), "j-broken", rename(idle, "j-broken"));
    }

    static ClusterView rename(ClusterView c, String id) {
        return new ClusterView(id, c.name(), c.state(), c.createdAt(), c.idleSince(), c.activeSteps(), c.terminationProtected(), c.tags());
    }

    @Test
    void terminatesIdleClustersReportsErrorsAndKeepsGoing() {
        FakeEmr emr = new FakeEmr(fleet());
        GuardRun.Summary summary = GuardRun.run(emr, ClusterGuardTest.SETTINGS, CLOCK, line -> { });
        assertThat(emr.terminated).containsExactly(List.of("j-idle"));
        assertThat(summary.terminated()).containsExactly("j-idle");
        assertThat(summary.errors()).singleElement().asString().startsWith("j-broken: ThrottlingException");
        assertThat(summary.text()).contains("1 cluster(s) terminated").contains("j-busy (pipeline): kept");
    }

    @Test
    void dryRunTerminatesNothing() {
        FakeEmr emr = new FakeEmr(fleet());
        GuardSettings dry = new GuardSettings("dataplat", "dev", Duration.ofMinutes(30), Duration.ofHours(6), true, "t", "n");
        GuardRun.Summary summary = GuardRun.run(emr, dry, CLOCK, line -> { });
        assertThat(emr.terminated).isEmpty();
        assertThat(summary.text()).startsWith("[dry run] EMR cluster guard: 1 cluster(s) would be terminated")
                .contains("j-idle (pipeline): would terminate");
    }
}

package io.dataplatform.guard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.ClusterSummary;
import software.amazon.awssdk.services.emr.model.ListClustersRequest;
import software.amazon.awssdk.services.emr.model.ListClustersResponse;
import software.amazon.awssdk.services.emr.model.ListStepsResponse;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.emr.model.StepSummary;

/** The EMR calls of the guard: list active clusters (all pages), describe them, terminate. */
public class EmrClusters {
    private final EmrClient emr;

    public EmrClusters(EmrClient emr) {
        this.emr = emr;
    }

    /** Ids of every cluster that is starting, running or waiting, across all pages. */
    public List<String> activeClusterIds() {
        List<String> ids = new ArrayList<>();
        String marker = null;
        do {
            ListClustersResponse page = emr.listClusters(ListClustersRequest.builder()
                    .clusterStates(ClusterState.STARTING, ClusterState.BOOTSTRAPPING, ClusterState.RUNNING, ClusterState.WAITING)
                    .marker(marker).build());
            page.clusters().stream().map(ClusterSummary::id).forEach(ids::add);
            marker = page.marker();
        } while (marker != null && !marker.isEmpty());
        return ids;
    }

    public ClusterView describe(String id) {
        Cluster cluster = emr.describeCluster(r -> r.clusterId(id)).cluster();
        Map<String, String> tags = new LinkedHashMap<>();
        cluster.tags().forEach(t -> tags.put(t.key(), t.value()));
        ListStepsResponse steps = emr.listSteps(r -> r.clusterId(id));
        int active = 0;
        Instant lastStepEnd = null;
        for (StepSummary step : steps.steps()) {
            StepState state = step.status().state();
            if (state == StepState.PENDING || state == StepState.RUNNING || state == StepState.CANCEL_PENDING) {
                active++;
            }
            Instant end = step.status().timeline() == null ? null : step.status().timeline().endDateTime();
            if (end != null && (lastStepEnd == null || end.isAfter(lastStepEnd))) {
                lastStepEnd = end;
            }
        }
        Instant ready = cluster.status().timeline().readyDateTime();
        Instant idleSince = lastStepEnd != null && (ready == null || lastStepEnd.isAfter(ready)) ? lastStepEnd : ready;
        return new ClusterView(id, cluster.name(), cluster.status().stateAsString(), cluster.status().timeline().creationDateTime(),
                idleSince, active, Boolean.TRUE.equals(cluster.terminationProtected()), tags);
    }

    public void terminate(List<String> ids) {
        emr.terminateJobFlows(r -> r.jobFlowIds(ids));
    }
}

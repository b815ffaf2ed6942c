package io.dataplatform.guard;

import java.time.Instant;
import java.util.Map;

/**
 * What the guard knows about one active cluster.
 *
 * @param id                  cluster id (j-...)
 * @param name                cluster name
 * @param state               EMR state, e.g. WAITING or RUNNING
 * @param createdAt           creation time
 * @param idleSince           when it last became idle: its last step's end, or when it was ready
 * @param activeSteps         pending or running steps
 * @param terminationProtected whether termination protection is on
 * @param tags                its tags
 */
public record ClusterView(String id, String name, String state, Instant createdAt, Instant idleSince, int activeSteps,
                          boolean terminationProtected, Map<String, String> tags) {
}

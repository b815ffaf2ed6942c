package io.dataplatform.guard;

/** What the guard does with one cluster, and why. */
public record Decision(ClusterView cluster, Action action, String reason) {
    public enum Action { TERMINATE, KEEP }

    public boolean terminate() {
        return action == Action.TERMINATE;
    }
}

package io.dataplatform.monitoring;

import io.dataplatform.config.PlatformConfig;
import io.dataplatform.core.PlatformStack;

/**
 * Metrics Insights queries over EMR's cluster metrics, which carry only a {@code JobFlowId}
 * dimension: clusters are transient, so the queries select them by their tags instead of naming
 * them. With {@code monitoring.emrAlarmScope: platform} they keep the clusters tagged with this
 * platform's {@code Project} and {@code Environment} (the tags the sample DAG and the cluster guard
 * use), which CloudWatch can only match once "resource tags for telemetry" is on in the account and
 * region; with {@code account} they take every cluster.
 *
 * @param from the FROM clause and its filter
 */
record EmrQueries(String from) {
    static final String SCHEMA = "SCHEMA(\"AWS/ElasticMapReduce\", JobFlowId)";

    static EmrQueries of(PlatformConfig config) {
        String where = switch (config.monitoring().emrAlarmScope()) {
            // Project and environment names are [a-z0-9-] (validated): nothing to escape in the quotes.
            case PLATFORM -> " WHERE tag." + PlatformStack.TAG_PROJECT + " = '" + config.project() + "' AND tag."
                    + PlatformStack.TAG_ENVIRONMENT + " = '" + config.envName() + "'";
            case ACCOUNT -> "";
        };
        return new EmrQueries(SCHEMA + where);
    }

    /** One series per cluster: a multi-time-series alarm on it alarms (and notifies) per cluster. */
    String perCluster(String function, String metric) {
        return "SELECT " + function + "(" + metric + ") FROM " + from + " GROUP BY JobFlowId ORDER BY " + function + "() DESC";
    }

    /** One series over all the selected clusters. */
    String overall(String function, String metric) {
        return "SELECT " + function + "(" + metric + ") FROM " + from;
    }
}

package io.dataplatform.scheduler;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place that names Airflow's StatsD metrics as CloudWatch sees them. Airflow sends
 * {@code <prefix>.<metric>} to the CloudWatch agent's StatsD listener, which joins the parts of a
 * name with its {@code metric_separator} (Telegraf's default is "_"): the agent configuration
 * sets it to {@link #SEPARATOR} explicitly, and the alarms and dashboard use {@link #cloudWatchName},
 * so the two cannot drift apart.
 */
public final class AirflowMetrics {
    /** {@code AIRFLOW__METRICS__STATSD_PREFIX}. */
    public static final String STATSD_PREFIX = "airflow";
    /** {@code metric_separator} of the agent's statsd section. */
    public static final String SEPARATOR = ".";
    public static final String SCHEDULER_HEARTBEAT = "scheduler_heartbeat";
    public static final String TASK_SUCCESSES = "ti_successes";
    public static final String TASK_FAILURES = "ti_failures";
    /**
     * What Airflow sends (its allow list): each name is a billed custom metric, so only what the
     * alarms and dashboard read, plus DAG-processing health.
     */
    public static final List<String> SENT = List.of(SCHEDULER_HEARTBEAT, TASK_SUCCESSES, TASK_FAILURES,
            "dag_processing.total_parse_time", "dag_processing.import_errors");

    private AirflowMetrics() {
    }

    /** The CloudWatch metric name of an Airflow metric, e.g. {@code airflow.scheduler_heartbeat}. */
    public static String cloudWatchName(String airflowMetric) {
        return (STATSD_PREFIX + "." + airflowMetric).replace(".", SEPARATOR);
    }

    /** {@code AIRFLOW__METRICS__METRICS_ALLOW_LIST}: anchored patterns, matched without the prefix. */
    public static String allowList() {
        return SENT.stream().map(m -> "^" + m.replace(".", "\\.") + "$").collect(Collectors.joining(","));
    }
}

package io.dataplatform.monitoring;

import io.dataplatform.config.BucketRole;
import io.dataplatform.scheduler.AirflowMetrics;
import io.dataplatform.datalake.DataLakeBuckets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.lambda.Function;

/** The platform dashboard, row by row. */
final class DashboardLayout {
    private DashboardLayout() {
    }

    static List<List<IWidget>> rows(String airflowNs, String guardNs, String instanceId, EmrQueries emr, DataLakeBuckets buckets,
                                   List<IAlarm> alarms, Function guard) {
        List<List<IWidget>> rows = new ArrayList<>();
        rows.add(List.of(AlarmStatusWidget.Builder.create().title("Alarms").alarms(alarms).width(24).build()));
        rows.add(List.of(
                graph("Airflow host CPU %", List.of(metric("AWS/EC2", "CPUUtilization", Map.of("InstanceId", instanceId), "Average"))),
                graph("Airflow host memory and disk %", List.of(
                        metric(airflowNs, "mem_used_percent", Map.of("InstanceId", instanceId), "Average"),
                        metric(airflowNs, "disk_used_percent", Map.of("InstanceId", instanceId, "path", "/", "fstype", "xfs"), "Average"))),
                graph("Scheduler heartbeat", List.of(query(MonitoringStack.sumOf(AirflowMetrics.SCHEDULER_HEARTBEAT, airflowNs),
                        "heartbeats", 60))),
                graph("Airflow task successes / failures", List.of(
                        query(MonitoringStack.sumOf(AirflowMetrics.TASK_SUCCESSES, airflowNs), "successes", 300),
                        query(MonitoringStack.sumOf(AirflowMetrics.TASK_FAILURES, airflowNs), "failures", 300)))));
        MathExpression idleShare = query(emr.overall("AVG", "IsIdle"), "idle share", 300);
        rows.add(List.of(
                // ${LABEL}: each series keeps its own label, the cluster's JobFlowId.
                graph("EMR clusters: one line per running cluster (1 = idle, 0 = busy)", List.of(
                        query(emr.perCluster("MAX", "IsIdle"), "${LABEL}", 300))),
                graph("EMR utilization U = busy time / observed time (%)", List.of(MathExpression.Builder.create()
                        .label("U = Bi / T").expression("100 * (1 - idle)").usingMetrics(Map.of("idle", idleShare))
                        .period(Duration.minutes(5)).build())),
                graph("YARN memory available % per cluster", List.of(query(emr.perCluster("MIN",
                        "YARNMemoryAvailablePercentage"), "${LABEL}", 300))),
                graph("YARN apps and containers", List.of(query(emr.overall("SUM", "AppsRunning"), "apps running", 300),
                        query(emr.overall("SUM", "AppsPending"), "apps pending", 300),
                        query(emr.overall("SUM", "ContainerAllocated"), "containers allocated", 300),
                        query(emr.overall("SUM", "ContainerPending"), "containers pending", 300)))));
        List<IMetric> sizes = new ArrayList<>();
        List<IMetric> objects = new ArrayList<>();
        for (BucketRole role : BucketRole.values()) {
            sizes.add(MonitoringStack.s3Size(buckets.get(role), "StandardStorage").with(
                    software.amazon.awscdk.services.cloudwatch.MetricOptions.builder().label(role.key()).build()));
            objects.add(Metric.Builder.create().namespace("AWS/S3").metricName("NumberOfObjects").label(role.key())
                    .dimensionsMap(new TreeMap<>(Map.of("BucketName", buckets.get(role).getBucketName(), "StorageType", "AllStorageTypes")))
                    .statistic("Maximum").period(Duration.days(1)).build());
        }
        rows.add(List.of(graph("Bucket size (Standard storage, bytes)", sizes), graph("Objects per bucket", objects),
                graph("Cluster guard: clusters terminated", List.of(
                        Metric.Builder.create().namespace(guardNs).metricName("ClustersTerminated").statistic("Sum")
                                .period(Duration.hours(1)).build())),
                graph("Cluster guard: invocations / errors", List.of(guard.metricInvocations(), guard.metricErrors()))));
        return rows;
    }

    private static GraphWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(new ArrayList<>(metrics)).width(6).height(6).build();
    }

    private static Metric metric(String namespace, String name, Map<String, String> dimensions, String statistic) {
        return Metric.Builder.create().namespace(namespace).metricName(name).dimensionsMap(new TreeMap<>(dimensions))
                .statistic(statistic).period(Duration.minutes(5)).build();
    }

    private static MathExpression query(String query, String label, int periodSeconds) {
        return MathExpression.Builder.create().expression(query).label(label).period(Duration.seconds(periodSeconds)).build();
    }
}

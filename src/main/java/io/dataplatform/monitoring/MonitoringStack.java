package io.dataplatform.monitoring;

import io.dataplatform.config.MonitoringConfig;
import io.dataplatform.config.PlatformConfig;
import io.dataplatform.core.PlatformStack;
import io.dataplatform.core.StackKind;
import io.dataplatform.datalake.DataLakeBuckets;
import io.dataplatform.scheduler.AirflowMetrics;
import io.dataplatform.scheduler.SchedulerStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.CfnAlarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.Ec2Action;
import software.amazon.awscdk.services.cloudwatch.actions.Ec2InstanceAction;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Watches the platform: an encrypted, TLS-only alarm topic; alarms on the Airflow host, the
 * scheduler heartbeat, all EMR clusters (Metrics Insights queries, since clusters are transient),
 * the raw bucket and the guard; one dashboard; and the EMR cluster guard Lambda.
 */
public final class MonitoringStack extends PlatformStack {
    static final String EMR_SCHEMA = "SCHEMA(\"AWS/ElasticMapReduce\", JobFlowId)";
    private final Topic topic;
    private final List<IAlarm> alarms = new ArrayList<>();
    private final SnsAction notify;

    public MonitoringStack(Construct scope, PlatformConfig config, SchedulerStack scheduler, DataLakeBuckets buckets) {
        super(scope, StackKind.MONITORING, config);
        MonitoringConfig m = config.monitoring();
        // Protects only notifications in flight, never data at rest: deleted (after 7 days) with the stack.
        Key topicKey = Key.Builder.create(this, "AlarmTopicKey").enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.DESTROY).pendingWindow(Duration.days(7))
                .description("Encrypts the " + naming().resourceName("alarms") + " topic").build();
        topic = Topic.Builder.create(this, "AlarmTopic").displayName(naming().resourceName("alarms"))
                .masterKey(topicKey).enforceSsl(true).build();
        allowAlarmsToPublish(topicKey);
        m.alarmEmails().forEach(email -> topic.addSubscription(new EmailSubscription(email)));
        notify = new SnsAction(topic);

        String instanceId = scheduler.instance().getInstanceId();
        String airflowNs = SchedulerStack.metricsNamespace(config);
        String guardNs = guardNamespace(config);

        // Airflow host
        Alarm system = alarm("airflow-system-status", ec2("StatusCheckFailed_System", instanceId, "Maximum", 1), 1,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 2, TreatMissingData.MISSING,
                "AWS hardware or network under the Airflow instance failed; EC2 recovers it onto new hardware. If it recurs, replace the instance (scheduler.imageRevision).");
        system.addAlarmAction(new Ec2Action(Ec2InstanceAction.RECOVER));
        Alarm instance = alarm("airflow-instance-status", ec2("StatusCheckFailed_Instance", instanceId, "Maximum", 1), 1,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 3, TreatMissingData.MISSING,
                "The Airflow instance's OS is unreachable; EC2 reboots it. Check the console output and ServiceLogs if it recurs.");
        instance.addAlarmAction(new Ec2Action(Ec2InstanceAction.REBOOT));
        alarm("airflow-cpu", ec2("CPUUtilization", instanceId, "Average", 5), m.cpuPercent(),
                ComparisonOperator.GREATER_THAN_THRESHOLD, 3, TreatMissingData.MISSING,
                "Airflow host CPU above " + m.cpuPercent() + " % for 15 min: look for heavy DAG parsing or tasks running on the host; move work to EMR or a bigger scheduler.instanceType.");
        alarm("airflow-memory", agent(airflowNs, "mem_used_percent", Map.of("InstanceId", instanceId)), m.memoryPercent(),
                ComparisonOperator.GREATER_THAN_THRESHOLD, 3, TreatMissingData.MISSING,
                "Airflow host memory above " + m.memoryPercent() + " %: lower parallelism or use a bigger scheduler.instanceType.");
        alarm("airflow-disk", agent(airflowNs, "disk_used_percent", Map.of("InstanceId", instanceId, "path", "/", "fstype", "xfs")),
                m.diskPercent(), ComparisonOperator.GREATER_THAN_THRESHOLD, 3, TreatMissingData.MISSING,
                "Airflow root disk above " + m.diskPercent() + " %: clean /var/log and old venvs, or raise scheduler.rootVolumeGb.");
        alarm("airflow-bootstrap-failed", agent(airflowNs, SchedulerStack.BOOTSTRAP_FAILURES_METRIC,
                        Map.of("InstanceId", instanceId)).with(MetricOptions.builder().statistic("Maximum").build()), 1,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, TreatMissingData.NOT_BREACHING,
                "A bootstrap run on the Airflow instance failed (a cfn-hup update after a deploy, or a replacement that "
                        + "handed the volume back): nothing was switched, the previous Airflow keeps running. Read the "
                        + "bootstrap stream of ServiceLogs or /var/log/dataplatform-bootstrap.log, fix, deploy again.");
        queryAlarm("airflow-scheduler-heartbeat", sumOf(AirflowMetrics.SCHEDULER_HEARTBEAT, airflowNs), 60, 1,
                "LessThanThreshold", 5, "breaching",
                "No scheduler heartbeat for 5 min (the scheduler stopped or hangs although systemd may say active): "
                        + "`journalctl -u airflow@scheduler` on the instance, then `systemctl restart airflow@scheduler`.");

        // EMR, across all clusters: per-cluster alarms cannot be declared for transient clusters.
        CfnAlarm idle = queryAlarm("emr-cluster-idle", "SELECT MAX(IsIdle) FROM " + EMR_SCHEMA, 300, 1,
                "GreaterThanOrEqualToThreshold", 6, "notBreaching",
                "An EMR cluster has been idle for 30 min: the cluster guard is invoked; check the DAG that left it running.");
        queryAlarm("emr-yarn-memory-low", "SELECT MIN(YARNMemoryAvailablePercentage) FROM " + EMR_SCHEMA, 300,
                m.yarnMemoryAvailablePercent(), "LessThanThreshold", 2, "notBreaching",
                "YARN memory available below " + m.yarnMemoryAvailablePercent() + " % for 10 min: raise emr.coreInstanceCount or the instance type, or tune the job.");
        queryAlarm("emr-apps-pending", "SELECT MAX(AppsPending) FROM " + EMR_SCHEMA, 300, 0, "GreaterThanThreshold", 6,
                "notBreaching", "YARN applications pending for 30 min: the cluster lacks capacity (Spot reclaimed?); check the step and cluster size.");
        queryAlarm("emr-unhealthy-nodes", "SELECT MAX(MRUnhealthyNodes) FROM " + EMR_SCHEMA, 300, 0, "GreaterThanThreshold", 1,
                "notBreaching", "An EMR node is unhealthy (often a full local disk): check the node's logs in logs/emr/.");
        queryAlarm("emr-hdfs-utilization", "SELECT MAX(HDFSUtilization) FROM " + EMR_SCHEMA, 300, m.hdfsUtilizationPercent(),
                "GreaterThanThreshold", 1, "notBreaching",
                "HDFS above " + m.hdfsUtilizationPercent() + " %: write to S3 instead of HDFS, or add core nodes.");

        // Data lake
        alarm("raw-bucket-size", bucketSize(buckets.raw()), m.rawBucketMaxGb() * 1024.0 * 1024 * 1024,
                ComparisonOperator.GREATER_THAN_THRESHOLD, 1, TreatMissingData.NOT_BREACHING,
                "The raw bucket exceeds " + m.rawBucketMaxGb() + " GiB: check what lands there and the lifecycle rules (dataLake.buckets.raw).");

        // The guard
        ClusterGuardFunction guard = new ClusterGuardFunction(this, "ClusterGuard", config, topic, topicKey, guardNs);
        Function fn = guard.function();
        alarm("cluster-guard-errors", fn.metricErrors(), 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1,
                TreatMissingData.NOT_BREACHING, "The EMR cluster guard failed: read its log group; clusters may be left running.");
        alarm("cluster-guard-throttles", fn.metricThrottles(), 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1,
                TreatMissingData.NOT_BREACHING, "The EMR cluster guard was throttled (it runs one at a time): runs overlap; raise monitoring.guardRateMinutes.");
        Rule.Builder.create(this, "GuardSchedule").description("Runs the EMR cluster guard")
                .schedule(Schedule.rate(Duration.minutes(m.guardRateMinutes()))).targets(List.of(new LambdaFunction(fn))).build();
        Rule.Builder.create(this, "GuardOnIdleAlarm").description("Runs the EMR cluster guard when the idle alarm fires")
                .eventPattern(EventPattern.builder().source(List.of("aws.cloudwatch"))
                        .detailType(List.of("CloudWatch Alarm State Change"))
                        .resources(List.of(idle.getAttrArn()))
                        .detail(Map.of("state", Map.of("value", List.of("ALARM")))).build())
                .targets(List.of(new LambdaFunction(fn))).build();

        new Dashboard(this, "Dashboard", software.amazon.awscdk.services.cloudwatch.DashboardProps.builder()
                .dashboardName(naming().resourceName("platform"))
                .widgets(DashboardLayout.rows(airflowNs, guardNs, instanceId, buckets, alarms, fn))
                .build());

        output("AlarmTopicArn", topic.getTopicArn(), "SNS topic every alarm and the cluster guard notify");
        output("DashboardUrl", "https://console.aws.amazon.com/cloudwatch/home?region=" + getRegion()
                + "#dashboards/dashboard/" + naming().resourceName("platform"), "The platform dashboard");
        output("ClusterGuardFunctionName", fn.getFunctionName(), "The EMR cluster guard Lambda");
    }

    /**
     * CloudWatch publishes alarm notifications as a service principal: the topic's own policy
     * (which replaced SNS's default when TLS was enforced) and the key policy must let it, for
     * this account's alarms of this environment only.
     */
    private void allowAlarmsToPublish(Key topicKey) {
        ServicePrincipal cloudWatch = new ServicePrincipal("cloudwatch.amazonaws.com");
        String ownAlarms = Arn.format(ArnComponents.builder().service("cloudwatch").resource("alarm")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME).resourceName(naming().resourceName("*")).build(), this);
        Map<String, Object> conditions = Map.of("StringEquals", Map.of("aws:SourceAccount", getAccount()),
                "ArnLike", Map.of("aws:SourceArn", ownAlarms));
        topic.addToResourcePolicy(PolicyStatement.Builder.create().sid("CloudWatchAlarmsPublish")
                .principals(List.of(cloudWatch)).actions(List.of("sns:Publish")).resources(List.of(topic.getTopicArn()))
                .conditions(conditions).build());
        topicKey.addToResourcePolicy(PolicyStatement.Builder.create().sid("CloudWatchAlarmsEncryptForTheTopic")
                .principals(List.of(cloudWatch)).actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*")).conditions(conditions).build());
    }

    static String guardNamespace(PlatformConfig config) {
        return "DataPlatform/" + config.project() + "-" + config.envName() + "/ClusterGuard";
    }

    /** Metrics Insights: the sum of one Airflow metric over every series (the agent adds a metric_type dimension). */
    static String sumOf(String airflowMetric, String namespace) {
        return "SELECT SUM(\"" + AirflowMetrics.cloudWatchName(airflowMetric) + "\") FROM \"" + namespace + "\"";
    }

    private static Metric ec2(String name, String instanceId, String statistic, int periodMinutes) {
        return Metric.Builder.create().namespace("AWS/EC2").metricName(name).dimensionsMap(Map.of("InstanceId", instanceId))
                .statistic(statistic).period(Duration.minutes(periodMinutes)).build();
    }

    private static Metric agent(String namespace, String name, Map<String, String> dimensions) {
        return Metric.Builder.create().namespace(namespace).metricName(name).dimensionsMap(new TreeMap<>(dimensions))
                .statistic("Average").period(Duration.minutes(5)).build();
    }

    /** Storage of the bucket across the classes its lifecycle uses (S3 reports once a day). */
    static MathExpression bucketSize(IBucket bucket) {
        Map<String, IMetric> parts = Map.of(
                "standard", s3Size(bucket, "StandardStorage"),
                "ia", s3Size(bucket, "StandardIAStorage"),
                "glacierir", s3Size(bucket, "GlacierInstantRetrievalStorage"),
                "tiering", s3Size(bucket, "IntelligentTieringFAStorage"));
        return MathExpression.Builder.create().label("raw bucket size (bytes)")
                .expression("FILL(standard, 0) + FILL(ia, 0) + FILL(glacierir, 0) + FILL(tiering, 0)")
                .usingMetrics(new TreeMap<>(parts)).period(Duration.days(1)).build();
    }

    static Metric s3Size(IBucket bucket, String storageType) {
        return Metric.Builder.create().namespace("AWS/S3").metricName("BucketSizeBytes")
                .dimensionsMap(new TreeMap<>(Map.of("BucketName", bucket.getBucketName(), "StorageType", storageType)))
                .statistic("Maximum").period(Duration.days(1)).build();
    }

    private Alarm alarm(String name, IMetric metric, double threshold, ComparisonOperator comparison, int periods,
                        TreatMissingData missing, String whatToDo) {
        Alarm alarm = Alarm.Builder.create(this, camel(name)).alarmName(naming().resourceName(name))
                .alarmDescription(whatToDo).metric(metric).threshold(threshold).comparisonOperator(comparison)
                .evaluationPeriods(periods).datapointsToAlarm(periods).treatMissingData(missing).build();
        alarm.addAlarmAction(notify);
        alarm.addOkAction(notify);
        alarms.add(alarm);
        return alarm;
    }

    /** A CloudWatch Metrics Insights query alarm (one query across all clusters or series). */
    private CfnAlarm queryAlarm(String name, String query, int periodSeconds, double threshold, String comparison, int periods,
                                String missing, String whatToDo) {
        CfnAlarm alarm = CfnAlarm.Builder.create(this, camel(name))
                .alarmName(naming().resourceName(name))
                .alarmDescription(whatToDo)
                .metrics(List.of(CfnAlarm.MetricDataQueryProperty.builder().id("q").expression(query)
                        .period(periodSeconds).returnData(true).build()))
                .threshold(threshold).comparisonOperator(comparison)
                .evaluationPeriods(periods).datapointsToAlarm(periods).treatMissingData(missing)
                .alarmActions(List.of(topic.getTopicArn())).okActions(List.of(topic.getTopicArn()))
                .build();
        alarms.add(Alarm.fromAlarmArn(this, camel(name) + "Ref", alarm.getAttrArn()));
        return alarm;
    }

    private static String camel(String kebab) {
        StringBuilder s = new StringBuilder();
        for (String part : kebab.split("-")) {
            s.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return s.toString();
    }

    public Topic topic() {
        return topic;
    }
}

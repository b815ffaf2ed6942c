package io.dataplatform.monitoring;

import io.dataplatform.config.MonitoringConfig;
import io.dataplatform.config.PlatformConfig;
import io.dataplatform.core.PlatformStack;
import io.dataplatform.core.StackKind;
import io.dataplatform.datalake.DataLakeBuckets;
import io.dataplatform.scheduler.AirflowMetrics;
import io.dataplatform.scheduler.OffHoursSchedule;
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
import software.amazon.awscdk.services.cloudwatch.AlarmRule;
import software.amazon.awscdk.services.cloudwatch.AlarmState;
import software.amazon.awscdk.services.cloudwatch.CompositeAlarm;
import software.amazon.awscdk.services.cloudwatch.IAlarmRule;
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
 * scheduler heartbeat, the platform's EMR clusters (Metrics Insights queries, since clusters are transient),
 * the raw bucket and the guard; one dashboard; and the EMR cluster guard Lambda.
 */
public final class MonitoringStack extends PlatformStack {
    private final Topic topic;
    private final List<IAlarm> alarms = new ArrayList<>();
    private final SnsAction notify;
    /** While the host's alarms are declared with an off-hours schedule: they notify through one composite. */
    private List<IAlarm> hostAlarms;

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
        boolean offHours = config.scheduler().offHours().isPresent();
        hostAlarms = offHours ? new ArrayList<>() : null;
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
        queryAlarm("airflow-scheduler-heartbeat", sumOf(AirflowMetrics.SCHEDULER_HEARTBEAT, airflowNs), 60, 1,
                "LessThanThreshold", 5, "breaching",
                "No scheduler heartbeat for 5 min (the scheduler stopped or hangs although systemd may say active): "
                        + "`journalctl -u airflow@scheduler` on the instance, then `systemctl restart airflow@scheduler`.");
        if (offHours) {
            notifyThroughOffHoursSuppressor(airflowNs);
        }
        hostAlarms = null;
        // Runs happen only while the instance is up: notifies directly.
        alarm("airflow-bootstrap-failed", agent(airflowNs, SchedulerStack.BOOTSTRAP_FAILURES_METRIC,
                        Map.of("InstanceId", instanceId)).with(MetricOptions.builder().statistic("Maximum").build()), 1,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, TreatMissingData.NOT_BREACHING,
                "A bootstrap run on the Airflow instance failed (a cfn-hup update after a deploy, or a replacement that "
                        + "handed the volume back): nothing was switched, the previous Airflow keeps running. Read the "
                        + "bootstrap stream of ServiceLogs or /var/log/dataplatform-bootstrap.log, fix, deploy again.");

        scheduler.backup().ifPresent(backup -> alarm("airflow-backup-failed", Metric.Builder.create().namespace("AWS/EBS")
                        .metricName("SnapshotsCreateFailed").dimensionsMap(Map.of("DLMPolicyId", backup.policyId()))
                        .statistic("Sum").period(Duration.hours(1)).build(), 1,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, TreatMissingData.NOT_BREACHING,
                "The daily snapshot of the Airflow data volume failed (Data Lifecycle Manager retries within the hour, this "
                        + "counts what still failed): EC2 console, Lifecycle Manager, the policy's status; the volume must "
                        + "carry its DataPlatformBackup tag."));

        // EMR: clusters are transient, so every EMR alarm is one Metrics Insights query over this platform's
        // clusters (by tag, see EmrQueries), grouped by cluster: each cluster is its own contributor (its own
        // ALARM and OK notifications), so one cluster that stays idle no longer hides another.
        EmrQueries emr = EmrQueries.of(config);
        CfnAlarm idle = queryAlarm("emr-cluster-idle", emr.perCluster("MAX", "IsIdle"), 300, 1,
                "GreaterThanOrEqualToThreshold", 6, "notBreaching",
                "An EMR cluster (JobFlowId in this message) has been idle for 30 min: the cluster guard is invoked; check the DAG that left it running.");
        queryAlarm("emr-apps-pending", emr.perCluster("MAX", "AppsPending"), 300, 0, "GreaterThanThreshold", 6,
                "notBreaching", "YARN applications pending for 30 min on an EMR cluster: it lacks capacity (Spot reclaimed?); check the step and cluster size.");
        queryAlarm("emr-unhealthy-nodes", emr.perCluster("MAX", "MRUnhealthyNodes"), 300, 0, "GreaterThanThreshold", 1,
                "notBreaching", "An EMR node is unhealthy (often a full local disk): check the node's logs in logs/emr/.");
        queryAlarm("emr-hdfs-utilization", emr.perCluster("MAX", "HDFSUtilization"), 300, m.hdfsUtilizationPercent(),
                "GreaterThanThreshold", 1, "notBreaching",
                "HDFS above " + m.hdfsUtilizationPercent() + " % on an EMR cluster: write to S3 instead of HDFS, or add core nodes.");

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
                TreatMissingData.NOT_BREACHING, "The EMR cluster guard was throttled by the account's Lambda concurrency limit: Lambda retries it; if it persists, ask AWS for a higher limit.");
        Rule.Builder.create(this, "GuardSchedule").description("Runs the EMR cluster guard")
                .schedule(Schedule.rate(Duration.minutes(m.guardRateMinutes()))).targets(List.of(new LambdaFunction(fn))).build();
        // A Metrics Insights alarm over many clusters changes its own state once (first idle cluster), then sends a
        // contributor event per further cluster: both run the guard.
        Rule.Builder.create(this, "GuardOnIdleAlarm").description("Runs the EMR cluster guard when the idle alarm fires")
                .eventPattern(EventPattern.builder().source(List.of("aws.cloudwatch"))
                        .detailType(List.of("CloudWatch Alarm State Change", "CloudWatch Alarm Contributor State Change"))
                        .resources(List.of(idle.getAttrArn()))
                        .detail(Map.of("state", Map.of("value", List.of("ALARM")))).build())
                .targets(List.of(new LambdaFunction(fn))).build();

        new Dashboard(this, "Dashboard", software.amazon.awscdk.services.cloudwatch.DashboardProps.builder()
                .dashboardName(naming().resourceName("platform"))
                .widgets(DashboardLayout.rows(airflowNs, guardNs, instanceId, emr, buckets, alarms, fn))
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

    /**
     * Storage of the bucket across every class its lifecycle can put objects in (S3 reports once a
     * day): Standard, Standard-IA, Glacier Instant Retrieval, and the Intelligent-Tiering tiers objects
     * move through without archive configuration (frequent, infrequent, archive instant access).
     */
    static MathExpression bucketSize(IBucket bucket) {
        Map<String, IMetric> parts = new TreeMap<>(Map.of(
                "standard", s3Size(bucket, "StandardStorage"),
                "ia", s3Size(bucket, "StandardIAStorage"),
                "glacierir", s3Size(bucket, "GlacierInstantRetrievalStorage"),
                "itfa", s3Size(bucket, "IntelligentTieringFAStorage"),
                "itia", s3Size(bucket, "IntelligentTieringIAStorage"),
                "itaia", s3Size(bucket, "IntelligentTieringAIAStorage")));
        return MathExpression.Builder.create().label("raw bucket size (bytes)")
                .expression(parts.keySet().stream().map(id -> "FILL(" + id + ", 0)").collect(java.util.stream.Collectors.joining(" + ")))
                .usingMetrics(parts).period(Duration.days(1)).build();
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
        if (hostAlarms == null) {
            alarm.addAlarmAction(notify);
            alarm.addOkAction(notify);
        } else {
            hostAlarms.add(alarm);
        }
        alarms.add(alarm);
        return alarm;
    }

    /**
     * With an off-hours schedule the Airflow host's alarms notify through one composite alarm that
     * the schedule's {@code OffHours} metric suppresses: no ALARM mail every night, no OK mails every
     * morning, while a real failure (outside the off hours, or still failing half an hour after the
     * morning start) notifies as before.
     */
    private void notifyThroughOffHoursSuppressor(String airflowNs) {
        Alarm offHours = Alarm.Builder.create(this, "AirflowOffHours").alarmName(naming().resourceName("airflow-off-hours"))
                .alarmDescription("In ALARM while the off-hours schedule has the Airflow instance stopped (the schedule puts "
                        + OffHoursSchedule.OFF_HOURS_METRIC + " = 1 at the stop and 0 at the start); it only suppresses the "
                        + "airflow-host notifications and notifies nobody itself.")
                .metric(Metric.Builder.create().namespace(airflowNs).metricName(OffHoursSchedule.OFF_HOURS_METRIC)
                        .statistic("Maximum").period(Duration.minutes(5)).build())
                .threshold(1).comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1).datapointsToAlarm(1).treatMissingData(TreatMissingData.IGNORE).build();
        CompositeAlarm host = CompositeAlarm.Builder.create(this, "AirflowHost")
                .compositeAlarmName(naming().resourceName("airflow-host"))
                .alarmDescription("One of the Airflow host's alarms is in ALARM (see the triggering alarm in this message and its "
                        + "description). Suppressed while the off-hours schedule has the instance stopped, and for 30 minutes "
                        + "after it starts it again.")
                .alarmRule(AlarmRule.anyOf(hostAlarms.stream().map(a -> AlarmRule.fromAlarm(a, AlarmState.ALARM))
                        .toArray(IAlarmRule[]::new)))
                .actionsSuppressor(offHours)
                .actionsSuppressorWaitPeriod(Duration.minutes(10))
                .actionsSuppressorExtensionPeriod(Duration.minutes(30))
                .build();
        host.addAlarmAction(notify);
        host.addOkAction(notify);
        alarms.add(offHours);
        alarms.add(host);
    }

    /** A CloudWatch Metrics Insights query alarm (one query across all clusters or series). */
    private CfnAlarm queryAlarm(String name, String query, int periodSeconds, double threshold, String comparison, int periods,
                                String missing, String whatToDo) {
        boolean notifies = hostAlarms == null;
        CfnAlarm alarm = CfnAlarm.Builder.create(this, camel(name))
                .alarmName(naming().resourceName(name))
                .alarmDescription(whatToDo)
                .metrics(List.of(CfnAlarm.MetricDataQueryProperty.builder().id("q").expression(query)
                        .period(periodSeconds).returnData(true).build()))
                .threshold(threshold).comparisonOperator(comparison)
                .evaluationPeriods(periods).datapointsToAlarm(periods).treatMissingData(missing)
                .alarmActions(notifies ? List.of(topic.getTopicArn()) : null)
                .okActions(notifies ? List.of(topic.getTopicArn()) : null)
                .build();
        IAlarm ref = Alarm.fromAlarmArn(this, camel(name) + "Ref", alarm.getAttrArn());
        alarms.add(ref);
        if (!notifies) {
            hostAlarms.add(ref);
        }
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

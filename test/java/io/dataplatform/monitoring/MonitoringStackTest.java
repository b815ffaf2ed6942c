package io.dataplatform.monitoring;

import static io.dataplatform.support.Json.list;
import static io.dataplatform.support.Json.map;
import static io.dataplatform.support.Json.properties;
import static io.dataplatform.support.Json.resources;
import static io.dataplatform.support.Json.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.support.Fixture;
import io.dataplatform.support.Json;
import io.dataplatform.support.Synth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class MonitoringStackTest {
    private static Template dev() {
        return Synth.fixture("dev").monitoring();
    }

    private static Map<String, Object> alarm(String name) {
        return resources(dev(), "AWS::CloudWatch::Alarm").values().stream()
                .filter(a -> ("dataplat-dev-" + name).equals(properties(a).get("AlarmName"))).map(a -> properties(a))
                .findFirst().orElseThrow(() -> new AssertionError("no alarm " + name));
    }

    private static String query(Map<String, Object> alarm) {
        return String.valueOf(map(list(alarm.get("Metrics")).get(0)).get("Expression"));
    }

    @Test
    void alarmTopicIsEncryptedTlsOnlyAndSubscribesTheConfiguredAddresses() {
        dev().hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", Match.anyValue()));
        dev().hasResourceProperties("AWS::SNS::TopicPolicy", Map.of("PolicyDocument", Match.objectLike(Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
        dev().hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true, "PendingWindowInDays", 7));
        // CloudWatch publishes as a service principal, only for this environment's alarms in this account.
        Map<String, Object> ownAlarmsOnly = Map.of("StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")),
                "ArnLike", Map.of("aws:SourceArn", Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                        ":cloudwatch:", Map.of("Ref", "AWS::Region"), ":", Map.of("Ref", "AWS::AccountId"), ":alarm:dataplat-dev-*")))));
        dev().hasResourceProperties("AWS::SNS::TopicPolicy", Map.of("PolicyDocument", Match.objectLike(Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Sid", "CloudWatchAlarmsPublish", "Effect", "Allow",
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com"), "Action", "sns:Publish",
                        "Condition", ownAlarmsOnly))))))));
        dev().hasResourceProperties("AWS::KMS::Key", Map.of("KeyPolicy", Match.objectLike(Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Sid", "CloudWatchAlarmsEncryptForTheTopic",
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"), "Condition", ownAlarmsOnly))))))));
        dev().resourceCountIs("AWS::SNS::Subscription", 0);
        Synth.Synthesized withEmails = Synth.of(with(Fixture.platform(), "environments.prod.monitoring.alarmEmails",
                List.of("oncall@example.com", "data@example.com")), "prod");
        withEmails.monitoring().resourceCountIs("AWS::SNS::Subscription", 2);
        withEmails.monitoring().hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "oncall@example.com"));
    }

    @Test
    void airflowHostAlarmsRecoverRebootAndNotify() {
        Map<String, Object> system = alarm("airflow-system-status");
        assertThat(system).containsEntry("MetricName", "StatusCheckFailed_System").containsEntry("Statistic", "Maximum")
                .containsEntry("Threshold", 1).containsEntry("EvaluationPeriods", 2);
        assertThat(system.get("AlarmActions").toString()).contains(":automate:").contains(":ec2:recover");
        assertThat(alarm("airflow-instance-status").get("AlarmActions").toString()).contains(":ec2:reboot");
        assertThat(alarm("airflow-cpu")).containsEntry("MetricName", "CPUUtilization").containsEntry("Threshold", 80)
                .containsEntry("Period", 300).containsEntry("EvaluationPeriods", 3).containsEntry("ComparisonOperator", "GreaterThanThreshold");
        assertThat(alarm("airflow-memory")).containsEntry("MetricName", "mem_used_percent").containsEntry("Threshold", 90)
                .containsEntry("Namespace", "DataPlatform/dataplat-dev/Airflow");
        assertThat(alarm("airflow-disk")).containsEntry("MetricName", "disk_used_percent").containsEntry("Threshold", 85);
        assertThat(alarm("airflow-disk").get("Dimensions").toString()).contains("path").contains("fstype");
    }

    @Test
    void everyFailedBootstrapRunAlarms() {
        // The bootstrap reports BOOTSTRAP_FAILURES_METRIC into METRICS_NAMESPACE, both rendered from the
        // same constants into platform.env (SchedulerStackTest), so the alarm and the script cannot drift apart.
        Map<String, Object> failed = alarm("airflow-bootstrap-failed");
        assertThat(failed).containsEntry("MetricName", io.dataplatform.scheduler.SchedulerStack.BOOTSTRAP_FAILURES_METRIC)
                .containsEntry("Namespace", "DataPlatform/dataplat-dev/Airflow").containsEntry("Statistic", "Maximum")
                .containsEntry("Threshold", 1).containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
                .containsEntry("EvaluationPeriods", 1).containsEntry("TreatMissingData", "notBreaching");
        assertThat(failed.get("Dimensions").toString()).contains("InstanceId");
    }

    @Test
    void aFailedSnapshotOfTheDataVolumeAlarms() {
        Map<String, Object> failed = alarm("airflow-backup-failed");
        assertThat(failed).containsEntry("Namespace", "AWS/EBS").containsEntry("MetricName", "SnapshotsCreateFailed")
                .containsEntry("Statistic", "Sum").containsEntry("Period", 3600).containsEntry("Threshold", 1)
                .containsEntry("TreatMissingData", "notBreaching");
        assertThat(failed.get("Dimensions").toString()).contains("DLMPolicyId").contains("DataVolumeBackupPolicy");
        assertThat(failed.get("AlarmActions").toString()).contains("AlarmTopic");
    }

    @Test
    void missingSchedulerHeartbeatIsBreaching() {
        Map<String, Object> heartbeat = alarm("airflow-scheduler-heartbeat");
        assertThat(query(heartbeat)).startsWith("SELECT SUM(").endsWith(" FROM \"DataPlatform/dataplat-dev/Airflow\"");
        assertThat(heartbeat).containsEntry("TreatMissingData", "breaching").containsEntry("EvaluationPeriods", 5)
                .containsEntry("ComparisonOperator", "LessThanThreshold").containsEntry("Threshold", 1);
        assertThat(map(list(heartbeat.get("Metrics")).get(0))).containsEntry("Period", 60);
    }

    @Test
    void emrAlarmsAlarmPerClusterWithMultiTimeSeriesMetricsInsightsQueries() {
        // GROUP BY JobFlowId: every cluster is a contributor of its own, notified on its own, so one
        // cluster that stays idle cannot hide another (a plain MAX over all clusters did). WHERE tag.…:
        // only this platform's clusters (the documented tag filter of Metrics Insights; test_dag.py checks
        // that the clusters the sample DAG starts carry exactly these tags).
        String perCluster = " FROM SCHEMA(\"AWS/ElasticMapReduce\", JobFlowId) WHERE tag.Project = 'dataplat'"
                + " AND tag.Environment = 'dev' GROUP BY JobFlowId ORDER BY ";
        Map<String, Object> idle = alarm("emr-cluster-idle");
        assertThat(query(idle)).isEqualTo("SELECT MAX(IsIdle)" + perCluster + "MAX() DESC");
        assertThat(idle).containsEntry("EvaluationPeriods", 6).containsEntry("TreatMissingData", "notBreaching")
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold");
        assertThat(query(alarm("emr-apps-pending"))).isEqualTo("SELECT MAX(AppsPending)" + perCluster + "MAX() DESC");
        assertThat(alarm("emr-apps-pending")).containsEntry("Threshold", 0).containsEntry("EvaluationPeriods", 6);
        assertThat(query(alarm("emr-unhealthy-nodes"))).isEqualTo("SELECT MAX(MRUnhealthyNodes)" + perCluster + "MAX() DESC");
        assertThat(query(alarm("emr-hdfs-utilization"))).isEqualTo("SELECT MAX(HDFSUtilization)" + perCluster + "MAX() DESC");
        assertThat(alarm("emr-hdfs-utilization")).containsEntry("Threshold", 80);
        for (String name : List.of("emr-cluster-idle", "emr-apps-pending", "emr-unhealthy-nodes", "emr-hdfs-utilization")) {
            assertThat(map(list(alarm(name).get("Metrics")).get(0))).containsEntry("Period", 300);
        }
        // Available YARN memory is low during normal Spark work: no alarm on it (the dashboard shows it).
        assertThat(resources(dev(), "AWS::CloudWatch::Alarm").values())
                .noneSatisfy(a -> assertThat(String.valueOf(properties(a).get("Metrics"))).contains("YARNMemoryAvailablePercentage"));
    }

    @Test
    void rawBucketSizeIsWatchedDaily() {
        Map<String, Object> size = alarm("raw-bucket-size");
        assertThat(((Number) size.get("Threshold")).doubleValue()).isEqualTo(1024.0 * 1024 * 1024 * 1024);
        assertThat(size).containsEntry("EvaluationPeriods", 1).containsEntry("TreatMissingData", "notBreaching");
        List<Object> metrics = list(size.get("Metrics"));
        assertThat(map(metrics.get(0))).containsEntry("ReturnData", true);
        String expression = String.valueOf(map(metrics.get(0)).get("Expression"));
        List<String> storageTypes = new ArrayList<>();
        for (Object part : metrics.subList(1, metrics.size())) {
            Map<String, Object> stat = map(map(part).get("MetricStat"));
            assertThat(stat).containsEntry("Period", 86400).containsEntry("Stat", "Maximum");
            Map<String, Object> metric = map(stat.get("Metric"));
            assertThat(metric).containsEntry("Namespace", "AWS/S3").containsEntry("MetricName", "BucketSizeBytes");
            assertThat(metric.get("Dimensions").toString()).contains("RawBucket");
            list(metric.get("Dimensions")).stream().map(d -> map(d)).filter(d -> "StorageType".equals(d.get("Name")))
                    .forEach(d -> storageTypes.add(String.valueOf(d.get("Value"))));
        }
        // Every class the lifecycle rules can put objects in, including each Intelligent-Tiering tier
        // objects reach without archive configuration; and the expression adds every one of them.
        assertThat(storageTypes).containsExactlyInAnyOrder("StandardStorage", "StandardIAStorage",
                "GlacierInstantRetrievalStorage", "IntelligentTieringFAStorage", "IntelligentTieringIAStorage",
                "IntelligentTieringAIAStorage");
        for (Object part : metrics.subList(1, metrics.size())) {
            assertThat(expression).contains("FILL(" + map(part).get("Id") + ", 0)");
        }
    }

    private static final List<String> HOST_ALARMS = List.of("airflow-system-status", "airflow-instance-status", "airflow-cpu",
            "airflow-memory", "airflow-disk", "airflow-scheduler-heartbeat");

    @Test
    void everyAlarmSaysWhatToDoAndNotifiesTheTopicDirectlyOrThroughTheHostComposite() {
        for (String env : List.of("dev", "prod")) {
            Template t = Synth.fixture(env).monitoring();
            boolean offHours = Synth.fixture(env).config().scheduler().offHours().isPresent();
            Map<String, Map<String, Object>> all = resources(t, "AWS::CloudWatch::Alarm");
            assertThat(all).as(env).hasSize(offHours ? 16 : 15);
            all.values().forEach(a -> {
                Map<String, Object> p = properties(a);
                String name = String.valueOf(p.get("AlarmName")).replace("dataplat-" + env + "-", "");
                assertThat(String.valueOf(p.get("AlarmName"))).startsWith("dataplat-" + env + "-");
                assertThat(String.valueOf(p.get("AlarmDescription"))).hasSizeGreaterThan(40);
                assertThat(p.get("DatapointsToAlarm")).isEqualTo(p.get("EvaluationPeriods"));
                assertThat(p).containsKey("TreatMissingData");
                boolean viaComposite = offHours && (HOST_ALARMS.contains(name) || name.equals("airflow-off-hours"));
                assertThat(String.valueOf(p.get("AlarmActions"))).as(env + " " + name)
                        .matches(viaComposite ? "^(null|(?!.*AlarmTopic).*)$" : ".*AlarmTopic.*");
                assertThat(String.valueOf(p.get("OKActions"))).as(env + " " + name)
                        .matches(viaComposite ? "^(null|(?!.*AlarmTopic).*)$" : ".*AlarmTopic.*");
            });
            assertThat(resources(t, "AWS::CloudWatch::CompositeAlarm")).as(env).hasSize(offHours ? 1 : 0);
        }
    }

    @Test
    void offHoursSuppressTheHostNotificationsNotTheAlarms() {
        Map<String, Object> host = properties(resources(dev(), "AWS::CloudWatch::CompositeAlarm").values().iterator().next());
        assertThat(host).containsEntry("AlarmName", "dataplat-dev-airflow-host")
                .containsEntry("ActionsSuppressorWaitPeriod", 600).containsEntry("ActionsSuppressorExtensionPeriod", 1800);
        assertThat(host.get("AlarmActions").toString()).contains("AlarmTopic");
        assertThat(host.get("OKActions").toString()).contains("AlarmTopic");
        assertThat(host.get("ActionsSuppressor").toString()).contains("AirflowOffHours");
        String rule = host.get("AlarmRule").toString();
        HOST_ALARMS.forEach(name -> assertThat(rule).as(name).contains(
                name.equals("airflow-scheduler-heartbeat") ? "AirflowSchedulerHeartbeat" : "Airflow"));
        assertThat(rule.split("ALARM\\(", -1)).hasSize(HOST_ALARMS.size() + 1);
        // The suppressor reads what the off-hours schedules put (SchedulerStackTest checks those).
        Map<String, Object> offHours = alarm("airflow-off-hours");
        assertThat(offHours).containsEntry("MetricName", io.dataplatform.scheduler.OffHoursSchedule.OFF_HOURS_METRIC)
                .containsEntry("Namespace", "DataPlatform/dataplat-dev/Airflow").containsEntry("TreatMissingData", "ignore")
                .containsEntry("Threshold", 1).containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold");
        // EC2 still recovers and reboots the instance at once; only the mails go through the composite.
        assertThat(alarm("airflow-system-status").get("AlarmActions").toString()).contains(":ec2:recover").doesNotContain("AlarmTopic");
        assertThat(alarm("airflow-bootstrap-failed").get("AlarmActions").toString()).contains("AlarmTopic");
    }

    @Test
    void guardLambdaIsTheNewestJavaOnArmWithoutReservedConcurrency() {
        // No reserved concurrency: Lambda keeps 10 executions of an account's limit unreserved, and new accounts often
        // have a limit of 10, so reserving even 1 fails the stack's creation ("decreases account's
        // UnreservedConcurrentExecution below its minimum value of [10]"). Overlapping runs are harmless: the guard only
        // terminates WAITING clusters and TerminateJobFlows is idempotent.
        dev().findResources("AWS::Lambda::Function").forEach((id, fn) ->
                assertThat(map(map(fn).get("Properties"))).as(id).doesNotContainKey("ReservedConcurrentExecutions"));
        dev().hasResourceProperties("AWS::Lambda::Function", Map.of("Runtime", "java25", "Architectures", List.of("arm64"),
                "MemorySize", 512,
                "Handler", "io.dataplatform.guard.ClusterGuardHandler::handleRequest",
                "Environment", Map.of("Variables", Match.objectLike(Map.of("PROJECT", "dataplat", "ENVIRONMENT", "dev",
                        "MAX_IDLE_MINUTES", "30", "MAX_AGE_HOURS", "6", "DRY_RUN", "false",
                        "METRIC_NAMESPACE", "DataPlatform/dataplat-dev/ClusterGuard")))));
        dev().hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
    }

    @Test
    void guardRoleIsLeastPrivilege() {
        List<Map<String, Object>> statements = new ArrayList<>();
        resources(dev(), "AWS::IAM::Policy").values().forEach(p ->
                list(map(properties(p).get("PolicyDocument")).get("Statement")).forEach(s -> statements.add(map(s))));
        Map<String, Map<String, Object>> bySid = new java.util.HashMap<>();
        statements.forEach(s -> bySid.put(String.valueOf(s.get("Sid")), s));
        assertThat(bySid.get("TerminatePlatformClustersOnly").get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("aws:ResourceTag/Project", "dataplat", "aws:ResourceTag/Environment", "dev")));
        assertThat(bySid.get("PutGuardMetricOnly").get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("cloudwatch:namespace", "DataPlatform/dataplat-dev/ClusterGuard")));
        assertThat(bySid.get("PublishSummary").get("Resource")).isEqualTo(Map.of("Ref", "AlarmTopicD01E77F9"));
        assertThat(bySid.get("DescribeClusters").get("Action")).isEqualTo(List.of("elasticmapreduce:DescribeCluster", "elasticmapreduce:ListSteps"));
        statements.forEach(s -> assertThat(s.get("Action").toString()).doesNotContain("*"));
    }

    @Test
    void guardRunsOnScheduleAndWhenTheIdleAlarmFires() {
        dev().hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", "rate(10 minutes)", "State", "ENABLED"));
        dev().hasResourceProperties("AWS::Events::Rule", Map.of("EventPattern", Map.of(
                "source", List.of("aws.cloudwatch"),
                "detail-type", List.of("CloudWatch Alarm State Change", "CloudWatch Alarm Contributor State Change"),
                "resources", List.of(Map.of("Fn::GetAtt", List.of("EmrClusterIdle", "Arn"))),
                "detail", Map.of("state", Map.of("value", List.of("ALARM"))))));
        dev().resourceCountIs("AWS::Lambda::Permission", 2);
    }

    @Test
    void theIdleAlarmRuleMatchesCloudWatchsDocumentedEventsForEveryIdleCluster() throws Exception {
        // EventBridge's matching (moto's implementation) over CloudWatch's documented sample events: the alarm's own
        // state change (first idle cluster) and a contributor state change (every further one), not a return to OK.
        Map<String, Object> pattern = dev().findResources("AWS::Events::Rule").values().stream()
                .map(r -> map(map(r).get("Properties"))).filter(p -> p.containsKey("EventPattern"))
                .map(p -> new java.util.LinkedHashMap<>(map(p.get("EventPattern")))).findFirst().orElseThrow();
        String alarmArn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:dataplat-dev-emr-cluster-idle";
        pattern.put("resources", List.of(alarmArn));
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("events");
        java.nio.file.Path patternFile = dir.resolve("pattern.json");
        java.nio.file.Files.writeString(patternFile, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(pattern));
        List<String> args = new java.util.ArrayList<>(List.of(patternFile.toString()));
        for (String name : List.of("alarm-state-change", "alarm-contributor-state-change", "alarm-contributor-back-to-ok")) {
            java.nio.file.Path event = dir.resolve(name + ".json");
            java.nio.file.Files.writeString(event, java.nio.file.Files.readString(
                    java.nio.file.Path.of("test/monitoring/events", name + ".json")).replace("ALARM_ARN", alarmArn));
            args.add(event.toString());
        }
        io.dataplatform.support.Python.Run run = io.dataplatform.support.Python.run(60, "test/monitoring/match_events.py",
                args.toArray(String[]::new));
        assertThat(run.exitValue()).as(run.output()).isZero();
        assertThat(run.output()).contains("alarm-state-change.json true", "alarm-contributor-state-change.json true",
                "alarm-contributor-back-to-ok.json false");
    }

    @Test
    void everyEmrQueryWatchesOnlyThisPlatformsClusters() {
        // Alarms and dashboard widgets alike: no query over EMR's metrics without the platform's tag filter.
        // Map.toString keeps the strings raw; the dashboard body escapes its quotes once more: drop escapes.
        String template = dev().toJSON().toString().replace("\\", "");
        String from = "SCHEMA(\"AWS/ElasticMapReduce\", JobFlowId)";
        int queries = template.split(java.util.regex.Pattern.quote(from), -1).length - 1;
        int scoped = template.split(java.util.regex.Pattern.quote(from + " WHERE tag.Project = 'dataplat' AND tag.Environment = 'dev'"), -1).length - 1;
        assertThat(queries).as("4 alarms, 7 dashboard queries").isEqualTo(4 + 7);
        assertThat(scoped).isEqualTo(queries);
    }

    @Test
    void theGuardAndTheAlarmsKnowAPlatformClusterByTheSameTags() {
        // The guard's code carries no CDK classes, so it has its own constants: they must be the stacks' tag keys.
        assertThat(List.of(io.dataplatform.guard.GuardSettings.PROJECT_TAG, io.dataplatform.guard.GuardSettings.ENVIRONMENT_TAG))
                .containsExactly(io.dataplatform.core.PlatformStack.TAG_PROJECT, io.dataplatform.core.PlatformStack.TAG_ENVIRONMENT);
    }

    @Test
    void emrAlarmScopeAccountWatchesEveryClusterOfTheAccount() {
        var account = io.dataplatform.config.ConfigLoader.load(
                with(Fixture.platform(), "environments.dev.monitoring.emrAlarmScope", "account"), "dev", Map.of());
        assertThat(EmrQueries.of(account).perCluster("MAX", "IsIdle"))
                .isEqualTo("SELECT MAX(IsIdle) FROM SCHEMA(\"AWS/ElasticMapReduce\", JobFlowId) GROUP BY JobFlowId ORDER BY MAX() DESC");
        assertThat(EmrQueries.of(account).overall("SUM", "AppsRunning"))
                .isEqualTo("SELECT SUM(AppsRunning) FROM SCHEMA(\"AWS/ElasticMapReduce\", JobFlowId)");
    }

    @Test
    void dashboardShowsHostAirflowEmrUtilizationBucketsGuardAndAlarms() {
        Map<String, Map<String, Object>> dashboards = resources(dev(), "AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        String body = properties(dashboards.values().iterator().next()).get("DashboardBody").toString();
        assertThat(body).contains("Airflow host CPU", "memory and disk", "Scheduler heartbeat", "task successes / failures",
                "one line per running cluster", "GROUP BY JobFlowId", "U = busy time / observed time", "100 * (1 - idle)", "AVG(IsIdle)",
                "YARN memory available", "apps and containers", "Bucket size", "Objects per bucket", "ClustersTerminated",
                "\\\"type\\\":\\\"alarm\\\"".replace("\\\"", "\""));
    }

    @Test
    void outputsNameTheTopicDashboardAndGuard() {
        assertThat(dev().findOutputs("*", Map.of()).keySet())
                .contains("AlarmTopicArn", "DashboardUrl", "ClusterGuardFunctionName");
        assertThat(dev().findOutputs("DashboardUrl", Map.of()).toString()).contains("#dashboards/dashboard/dataplat-dev-platform");
    }

    /**
     * What the CloudWatch agent on the Airflow host publishes, derived from the files the instance
     * really gets (its agent configuration and platform.env), not from our constants: Airflow sends
     * {@code <prefix>.<metric>}; the agent's StatsD input joins the name's parts with its
     * {@code metric_separator}, "_" unless the configuration sets one.
     */
    static List<String> publishedAirflowMetrics() throws Exception {
        Template scheduler = Synth.fixture("dev").scheduler();
        JsonNode agent = new ObjectMapper().readTree(Json.initFile(scheduler, "/opt/aws/amazon-cloudwatch-agent/etc/dataplatform.json"));
        JsonNode statsd = agent.path("metrics").path("metrics_collected").path("statsd");
        assertThat(statsd.isObject()).as("the agent listens for StatsD").isTrue();
        String separator = statsd.has("metric_separator") ? statsd.get("metric_separator").asText() : "_";
        String env = Json.initFile(scheduler, "/etc/dataplatform/platform.env");
        String prefix = envValue(env, "STATSD_PREFIX");
        List<String> published = new ArrayList<>();
        for (String pattern : envValue(env, "METRICS_ALLOW_LIST").split(",")) {
            String name = pattern.replaceAll("^\\^|\\$$", "").replace("\\.", ".");
            published.add((prefix + "." + name).replace(".", separator));
        }
        return published;
    }

    private static String envValue(String env, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + key + "=(.*)$").matcher(env);
        assertThat(m.find()).as(key + " in platform.env").isTrue();
        return m.group(1);
    }

    @Test
    void everyAirflowMetricTheAlarmsAndDashboardReadIsOneTheAgentPublishes() throws Exception {
        List<String> published = publishedAirflowMetrics();
        // In alarms the query is a plain string; in the dashboard body it is JSON-escaped (\").
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("SUM\\(\\\\?\"([^\"\\\\]+)\\\\?\"\\)")
                .matcher(dev().toJSON().toString());
        List<String> names = new ArrayList<>();
        while (used.find()) {
            names.add(used.group(1));
        }
        assertThat(names).as("Airflow metrics the monitoring stack reads").hasSizeGreaterThanOrEqualTo(4);
        assertThat(published).containsAll(names);
        assertThat(query(alarm("airflow-scheduler-heartbeat")))
                .isEqualTo("SELECT SUM(\"" + published.stream().filter(n -> n.endsWith("scheduler_heartbeat")).findFirst().orElseThrow()
                        + "\") FROM \"DataPlatform/dataplat-dev/Airflow\"");
    }

    @Test
    void aMissingLambdaArtifactSaysWhatToRun() {
        assertThatThrownBy(() -> ClusterGuardFunction.requireArtifact(Path.of("target/no-such.zip")))
                .isInstanceOf(ClusterGuardFunction.MissingArtifactException.class)
                .hasMessageContaining("Run `mvn -q process-classes` (or `mvn test`) first");
    }
}

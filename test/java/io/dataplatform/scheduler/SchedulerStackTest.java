package io.dataplatform.scheduler;

import static io.dataplatform.support.Json.list;
import static io.dataplatform.support.Json.map;
import static io.dataplatform.support.Json.properties;
import static io.dataplatform.support.Json.resources;
import static io.dataplatform.support.Json.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.emr.PipelineVariables;
import io.dataplatform.support.Fixture;
import io.dataplatform.support.CdkJson;
import io.dataplatform.support.Synth;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

class SchedulerStackTest {
    private static Synth.Synthesized changed;

    private static Template template(String env) {
        return Synth.fixture(env).scheduler();
    }

    /** dev with another Airflow version, an allow-listed UI CIDR and RDS, synthesized once. */
    private static synchronized Synth.Synthesized changedDev() {
        if (changed == null) {
            changed = Synth.of(with(with(with(Fixture.platform(), "environments.dev.scheduler.airflowVersion", "3.3.1"),
                    "environments.dev.scheduler.uiAllowedCidr", "203.0.113.0/24"),
                    "environments.dev.scheduler.database", "rds"), "dev");
        }
        return changed;
    }

    private static Map<String, Object> instance(Template t) {
        return resources(t, "AWS::EC2::Instance").values().iterator().next();
    }

    private static String platformEnv(Template t) {
        return io.dataplatform.support.Json.initFile(t, AirflowBootstrap.PLATFORM_ENV);
    }

    private static List<Map<String, Object>> statements(Template t) {
        // The instance role's and the task role's policies.
        List<Map<String, Object>> result = new ArrayList<>();
        resources(t, "AWS::IAM::Policy").entrySet().stream().filter(e -> e.getKey().startsWith("InstanceRole"))
                .forEach(e -> list(map(properties(e.getValue()).get("PolicyDocument")).get("Statement")).forEach(s -> result.add(map(s))));
        return result;
    }

    private static Map<String, Object> statement(String sid) {
        return statements(template("dev")).stream().filter(s -> sid.equals(s.get("Sid"))).findFirst().orElseThrow();
    }

    private static List<String> actions(Map<String, Object> statement) {
        Object a = statement.get("Action");
        return a instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(a));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void instanceIsPrivateEncryptedImdsV2OnlyMonitoredAndKeyless(String env) {
        Map<String, Object> props = properties(instance(template(env)));
        assertThat(props).doesNotContainKey("KeyName").containsEntry("Monitoring", true)
                .containsEntry("ImageId", "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64")
                .containsEntry("InstanceType", env.equals("prod") ? "m7g.large" : "t4g.medium")
                .containsEntry("DisableApiTermination", env.equals("prod"));
        assertThat(props.get("BlockDeviceMappings")).isEqualTo(List.of(Map.of("DeviceName", "/dev/xvda", "Ebs",
                Map.of("DeleteOnTermination", true, "Encrypted", true, "VolumeSize", 30, "VolumeType", "gp3"))));
        Map<String, Object> nic = map(list(props.get("NetworkInterfaces")).get(0));
        assertThat(nic).containsEntry("AssociatePublicIpAddress", false);
        assertThat(nic.get("SubnetId").toString()).contains("privateSubnet1");
        template(env).hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData",
                Map.of("MetadataOptions", Map.of("HttpTokens", "required"))));
    }

    @Test
    void deploymentWaitsForAHealthyAirflow() {
        assertThat(instance(template("dev")).get("CreationPolicy"))
                .isEqualTo(Map.of("ResourceSignal", Map.of("Count", 1, "Timeout", "PT40M")));
        String userData = properties(instance(template("dev"))).get("UserData").toString();
        assertThat(userData).contains("cfn-init -v").contains("cfn-signal -e $?");
        // The bootstrap itself fails unless the health endpoint reports a healthy scheduler.
        // (test/bootstrap/bootstrap.bats runs the script: an unhealthy Airflow fails the run.)
        assertThat(bootstrapScript()).contains("/api/v2/monitor/health").contains(".scheduler.status");
        // Every run reports its outcome under the names the monitoring stack alarms on.
        assertThat(platformEnv(template("dev"))).contains("BOOTSTRAP_FAILURES_METRIC=" + SchedulerStack.BOOTSTRAP_FAILURES_METRIC)
                .contains("METRICS_NAMESPACE=DataPlatform/dataplat-dev/Airflow");
        assertThat(bootstrapScript()).contains("--namespace \"$METRICS_NAMESPACE\"").contains("--metric-name \"$BOOTSTRAP_FAILURES_METRIC\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theDataVolumeIsSnapshottedDailyByDataLifecycleManager(String env) {
        Template t = template(env);
        String tag = "dataplat-" + env + "-airflow-data";
        assertThat(io.dataplatform.support.Json.tags(resources(t, "AWS::EC2::Volume").values().iterator().next()))
                .containsEntry(DataVolumeBackup.TAG, tag);
        t.hasResourceProperties("AWS::DLM::LifecyclePolicy", Map.of("State", "ENABLED", "PolicyDetails", Map.of(
                "PolicyType", "EBS_SNAPSHOT_MANAGEMENT", "ResourceTypes", List.of("VOLUME"),
                "TargetTags", List.of(Map.of("Key", DataVolumeBackup.TAG, "Value", tag)),
                "Schedules", List.of(software.amazon.awscdk.assertions.Match.objectLike(Map.of("CopyTags", true,
                        "CreateRule", Map.of("Interval", 24, "IntervalUnit", "HOURS", "Times", List.of("03:00")),
                        "RetainRule", Map.of("Count", env.equals("prod") ? 30 : 7)))))));
        Map<String, Object> role = resources(t, "AWS::IAM::Role").entrySet().stream()
                .filter(e -> e.getKey().startsWith("DataVolumeBackupRole")).map(Map.Entry::getValue).findFirst().orElseThrow();
        assertThat(properties(role).get("AssumeRolePolicyDocument").toString()).contains("dlm.amazonaws.com");
        assertThat(properties(role).get("ManagedPolicyArns").toString()).contains("service-role/AWSDataLifecycleManagerServiceRole");
    }

    @Test
    void noSnapshotPolicyWithTheRdsDatabase() {
        changedDev().scheduler().resourceCountIs("AWS::DLM::LifecyclePolicy", 0); // database: rds
    }

    @Test
    void theAgentShipsTheBootstrapAndCfnInitLogsToTheServiceLogGroup() throws Exception {
        JsonNode agent = new ObjectMapper().readTree(io.dataplatform.support.Json.initFile(template("dev"),
                "/opt/aws/amazon-cloudwatch-agent/etc/dataplatform.json"));
        List<String> files = new ArrayList<>();
        agent.at("/logs/logs_collected/files/collect_list").forEach(f -> {
            files.add(f.get("file_path").asText());
            assertThat(f.get("log_group_name").asText()).isEqualTo("<token>"); // the ServiceLogs group
        });
        assertThat(files).contains("/var/log/dataplatform-bootstrap.log", "/var/log/cfn-init.log");
        // One entry per component log, never a wildcard: for "*.log" the agent follows only the most recently
        // modified file per scan and reads one it picks up later from its end (logfile.go, getTargetFiles), so
        // lines of the other components, crash output included, would be missing.
        java.util.regex.Matcher components = java.util.regex.Pattern.compile("readonly COMPONENTS=\\(([^)]*)\\)")
                .matcher(bootstrapScript());
        assertThat(components.find()).isTrue();
        for (String component : components.group(1).trim().split("\\s+")) {
            assertThat(files).as("the agent collects the %s log", component).containsOnlyOnce("/var/log/airflow/" + component + ".log");
        }
        assertThat(files).allSatisfy(f -> assertThat(f).doesNotContain("*", "?", "["));
        // The bootstrap writes its log where cfn-init sends it (bats: the agent starts before anything can fail).
        assertThat(properties(instance(template("dev"))).toString() + instance(template("dev")).get("Metadata"))
                .contains("bootstrap.sh >> /var/log/dataplatform-bootstrap.log 2>&1");
    }

    private static String bootstrapScript() {
        try {
            return Files.readString(CdkJson.projectRoot().resolve("src/main/resources/scheduler/bootstrap.sh"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aBootstrapChangeUpdatesTheInstanceInPlace() {
        Template before = template("dev");
        Template after = changedDev().scheduler();
        assertThat(resources(after, "AWS::EC2::Instance").keySet()).isEqualTo(resources(before, "AWS::EC2::Instance").keySet());
        assertThat(properties(instance(after)).get("UserData")).isEqualTo(properties(instance(before)).get("UserData"));
        assertThat(properties(instance(after)).get("ImageId")).isEqualTo(properties(instance(before)).get("ImageId"));
        assertThat(platformEnv(after)).contains("AIRFLOW_VERSION=3.3.1");
        assertThat(platformEnv(before)).contains("AIRFLOW_VERSION=3.3.2");
        // cfn-hup re-runs cfn-init when this resource's metadata changes.
        Map<String, Object> files = map(map(map(map(instance(before).get("Metadata")).get("AWS::CloudFormation::Init"))
                .get("bootstrap")).get("files"));
        String logicalId = resources(before, "AWS::EC2::Instance").keySet().iterator().next();
        assertThat(map(files.get("/etc/cfn/hooks.d/airflow-bootstrap.conf")).get("content").toString())
                .contains("triggers=post.update").contains("path=Resources." + logicalId + ".Metadata.AWS::CloudFormation::Init")
                .contains("--resource " + logicalId + " ").contains("cfn-init -v");
    }

    @Test
    void bumpingTheImageRevisionReplacesTheInstanceOnPurpose() {
        Synth.Synthesized bumped = Synth.of(with(Fixture.platform(), "environments.prod.scheduler.imageRevision", 2), "prod");
        String before = resources(template("prod"), "AWS::EC2::Instance").keySet().iterator().next();
        String after = resources(bumped.scheduler(), "AWS::EC2::Instance").keySet().iterator().next();
        assertThat(after).isNotEqualTo(before).startsWith("InstanceC1063A87");
        // The data volume and secrets stay, and the new instance may take the volume over.
        assertThat(resources(bumped.scheduler(), "AWS::EC2::Volume").keySet()).containsExactly("DataVolume175940C2");
    }

    @Test
    void securityGroupHasNoIngressUnlessACidrIsAllowListed() {
        for (String env : List.of("dev", "prod")) {
            resources(template(env), "AWS::EC2::SecurityGroup").values()
                    .forEach(sg -> assertThat(properties(sg)).doesNotContainKey("SecurityGroupIngress"));
        }
        changedDev().scheduler().hasResourceProperties("AWS::EC2::SecurityGroup", Map.of("SecurityGroupIngress", List.of(
                Map.of("CidrIp", "203.0.113.0/24", "IpProtocol", "tcp", "FromPort", 8080, "ToPort", 8080,
                        "Description", "Airflow UI from the configured allow-list"))));
        assertThat(platformEnv(changedDev().scheduler())).contains("AIRFLOW_API_HOST=0.0.0.0");
        assertThat(platformEnv(template("dev"))).contains("AIRFLOW_API_HOST=127.0.0.1");
    }

    @Test
    void roleActionsAreExplicitAndScoped() {
        assertThat(statements(template("dev"))).allSatisfy(s -> assertThat(actions(s)).allSatisfy(a -> assertThat(a).doesNotContain("*")));
        assertThat(statement("SyncDags").get("Resource").toString()).contains("ArtifactsBucket").endsWith("/dags/*]]}");
        assertThat(statement("ListDags").get("Condition")).isEqualTo(Map.of("StringLike", Map.of("s3:prefix", List.of("dags/", "dags/*"))));
        assertThat(statement("WriteTaskLogs").get("Resource").toString()).contains("LogsBucket").endsWith("/airflow/*]]}");
        assertThat(actions(statement("SenseRawObjects"))).containsExactly("s3:GetObject");
        // admin, keys and the fixture's one person's Airflow user (ana)
        assertThat(list(statement("ReadOwnSecrets").get("Resource"))).hasSize(3);
        assertThat(statement("StoreGeneratedKeysOnce").get("Resource")).isEqualTo(Map.of("Ref", "SecretsKeys52995371"));
        // RunJobFlow has no resource type: only "*" can match it (the IAM intent suite checks it for real).
        assertThat(statement("CreateOwnTaggedClusters").get("Resource")).isEqualTo("*");
        assertThat(statement("CreateOwnTaggedClusters").get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("aws:RequestTag/for-use-with-amazon-emr-managed-policies", "true", "aws:RequestTag/Project", "dataplat",
                        "aws:RequestTag/Environment", "dev")));
        assertThat(actions(statement("RunStepsOnOwnClusters"))).containsExactlyInAnyOrder("elasticmapreduce:AddJobFlowSteps",
                "elasticmapreduce:DescribeStep", "elasticmapreduce:DescribeCluster", "elasticmapreduce:ListSteps",
                "elasticmapreduce:TerminateJobFlows");
        assertThat(statement("RunStepsOnOwnClusters").get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("aws:ResourceTag/for-use-with-amazon-emr-managed-policies", "true", "aws:ResourceTag/Project", "dataplat",
                        "aws:ResourceTag/Environment", "dev")));
        // No tagging: a role that can tag clusters can make any cluster look like its own.
        assertThat(statements(template("dev"))).allSatisfy(st -> assertThat(actions(st))
                .doesNotContain("elasticmapreduce:AddTags", "elasticmapreduce:RemoveTags"));
        // One PassRole statement per EMR role, each to the service that assumes the role (AmazonEMRFullAccessPolicy_v2).
        assertThat(statement("PassEmrServiceRole").get("Condition")).isEqualTo(Map.of("StringLike",
                Map.of("iam:PassedToService", "elasticmapreduce.amazonaws.com*")));
        assertThat(statement("PassEmrNodesRole").get("Condition")).isEqualTo(Map.of("StringLike",
                Map.of("iam:PassedToService", "ec2.amazonaws.com*")));
        assertThat(statement("PassEmrAutoScalingRole").get("Condition")).isEqualTo(Map.of("StringLike",
                Map.of("iam:PassedToService", "application-autoscaling.amazonaws.com*")));
        assertThat(statements(template("dev")).stream().filter(s -> actions(s).contains("iam:PassRole"))).hasSize(3);
        assertThat(statement("TakeVolumeOverFromReplacedInstance").get("Condition")).isEqualTo(Map.of("StringEquals", Map.of(
                "aws:ResourceTag/aws:cloudformation:stack-name", "dataplat-dev-scheduler",
                "aws:ResourceTag/DataPlatformRole", "airflow-scheduler")));
        assertThat(io.dataplatform.support.Json.tags(instance(template("dev")))).containsEntry("DataPlatformRole", "airflow-scheduler");
        assertThat(statement("AttachOwnDataVolume").get("Resource").toString()).contains("DataVolume175940C2");
    }

    @Test
    void noSecretMaterialInTheTemplate() throws Exception {
        String json = new ObjectMapper().writeValueAsString(template("dev").toJSON());
        resources(template("dev"), "AWS::SecretsManager::Secret").values().forEach(secret -> {
            assertThat(properties(secret)).doesNotContainKey("SecretString").containsKey("GenerateSecretString");
        });
        assertThat(platformEnv(template("dev"))).doesNotContainIgnoringCase("fernet").doesNotContainIgnoringCase("password=")
                .doesNotContainIgnoringCase("secret_key");
        assertThat(json).doesNotContainPattern("AIRFLOW__CORE__FERNET_KEY=[A-Za-z0-9_-]{20,}")
                .doesNotContain("aws_secret_access_key");
        assertThat(bootstrapScript()).doesNotContain("users create");
    }

    @Test
    void environmentFileCarriesEveryVariableTheDagReads() throws Exception {
        String dag = Files.readString(CdkJson.projectRoot().resolve("src/main/resources/pipeline/dags/pipeline_emr.py"));
        Set<String> read = new TreeSet<>();
        Matcher m = Pattern.compile("var\\.value\\.([a-z0-9_]+)").matcher(dag);
        while (m.find()) {
            read.add(PipelineVariables.environmentVariable(m.group(1)) + "=");
        }
        String env = platformEnv(template("dev"));
        assertThat(read).isNotEmpty().allSatisfy(variable -> assertThat(env).contains("\n" + variable));
        assertThat(bootstrapScript()).contains("grep '^AIRFLOW_VAR_' /etc/dataplatform/platform.env");
    }

    @Test
    void devStopsOffHoursWithEventBridgeSchedulerAndMarksTheOffHoursAndProdRunsAlways() throws Exception {
        Template dev = template("dev");
        dev.resourceCountIs("AWS::Scheduler::Schedule", 4);
        dev.resourceCountIs("AWS::Lambda::Function", 0);
        Map<String, List<String>> targets = new java.util.TreeMap<>();
        Map<String, String> inputs = new java.util.HashMap<>();
        for (Map<String, Object> schedule : resources(dev, "AWS::Scheduler::Schedule").values()) {
            Map<String, Object> p = properties(schedule);
            assertThat(p).containsEntry("ScheduleExpressionTimezone", "UTC").containsEntry("State", "ENABLED");
            String arn = map(p.get("Target")).get("Arn").toString();
            targets.computeIfAbsent(String.valueOf(p.get("ScheduleExpression")), k -> new ArrayList<>())
                    .add(arn.substring(arn.indexOf("aws-sdk:")));
            inputs.put(arn.substring(arn.indexOf("aws-sdk:")) + " " + p.get("ScheduleExpression"), String.valueOf(map(p.get("Target")).get("Input")));
        }
        assertThat(targets.get("cron(0 20 ? * MON-FRI *)")).containsExactlyInAnyOrder("aws-sdk:ec2:stopInstances]]}",
                "aws-sdk:cloudwatch:putMetricData]]}");
        assertThat(targets.get("cron(0 7 ? * MON-FRI *)")).containsExactlyInAnyOrder("aws-sdk:ec2:startInstances]]}",
                "aws-sdk:cloudwatch:putMetricData]]}");
        // The monitoring stack's off-hours suppressor reads exactly this metric (MonitoringStackTest).
        JsonNode off = new ObjectMapper().readTree(inputs.get("aws-sdk:cloudwatch:putMetricData]]} cron(0 20 ? * MON-FRI *)"));
        assertThat(off.get("Namespace").asText()).isEqualTo(SchedulerStack.metricsNamespace(Synth.fixture("dev").config()));
        assertThat(off.at("/MetricData/0/MetricName").asText()).isEqualTo(OffHoursSchedule.OFF_HOURS_METRIC);
        assertThat(off.at("/MetricData/0/Value").asInt()).isEqualTo(1);
        assertThat(new ObjectMapper().readTree(inputs.get("aws-sdk:cloudwatch:putMetricData]]} cron(0 7 ? * MON-FRI *)"))
                .at("/MetricData/0/Value").asInt()).isZero();
        template("prod").resourceCountIs("AWS::Scheduler::Schedule", 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void metadataDatabaseVolumeIsEncryptedAndRetainedUnlessDestroyed(String env) {
        template(env).hasResource("AWS::EC2::Volume", Map.of(
                "Properties", Map.of("AvailabilityZone", properties(instance(template(env))).get("AvailabilityZone"),
                        "Encrypted", true, "Size", 20, "VolumeType", "gp3",
                        "Tags", software.amazon.awscdk.assertions.Match.anyValue()),
                "DeletionPolicy", env.equals("prod") ? "Retain" : "Delete"));
    }

    @Test
    void rdsMetadataDatabaseIsPrivateEncryptedAndReachableFromAirflowOnly() {
        Template t = changedDev().scheduler();
        t.resourceCountIs("AWS::EC2::Volume", 0);
        t.hasResource("AWS::RDS::DBInstance", Map.of("DeletionPolicy", "Delete", "Properties",
                software.amazon.awscdk.assertions.Match.objectLike(Map.of("Engine", "postgres", "DBInstanceClass", "db.t4g.micro",
                        "StorageEncrypted", true, "PubliclyAccessible", false, "MultiAZ", false, "DBName", "airflow",
                        "BackupRetentionPeriod", 7))));
        t.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of("IpProtocol", "tcp", "FromPort", 5432, "ToPort", 5432,
                "SourceSecurityGroupId", Map.of("Fn::GetAtt", List.of("SecurityGroupDD263621", "GroupId"))));
        assertThat(platformEnv(t)).contains("DATABASE=rds").contains("DB_SECRET_ARN=<token>");
        assertThat(platformEnv(template("dev"))).contains("DATABASE=local");
        assertThat(statements(t).stream().filter(s -> "ReadDatabaseSecret".equals(s.get("Sid")))).hasSize(1);
        assertThat(statements(t).stream().filter(s -> "AttachOwnDataVolume".equals(s.get("Sid")))).isEmpty();
        t.hasOutput("DatabaseEndpoint", Map.of());
    }

    @Test
    void outputsTellHowToReachAirflow() {
        Template t = template("dev");
        t.hasOutput("InstanceId", Map.of());
        t.hasOutput("AdminSecretArn", Map.of("Value", Map.of("Ref", "SecretsAdminPasswordA3C880B6")));
        String command = map(map(t.toJSON().get("Outputs")).get("OpenAirflowUi")).get("Value").toString();
        assertThat(command).contains("aws ssm start-session").contains("AWS-StartPortForwardingSession")
                .contains("{\\\"portNumber\\\":[\\\"8080\\\"],\\\"localPortNumber\\\":[\\\"8080\\\"]}".replace("\\\"", "\""));
    }
}

package io.dataplatform.iam;

import static io.dataplatform.support.Json.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.core.PlatformStack;
import io.dataplatform.support.Fixture;
import io.dataplatform.support.CdkJson;
import io.dataplatform.support.Json;
import io.dataplatform.support.Synth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Who can do what, judged by AWS's own data: every call the platform makes (taken from the code
 * that makes it: the DAG, the bootstrap, the Spark job, the guard Lambda, the workflows), and the
 * denials that matter, evaluated against the synthesized templates of dev, prod and the delivery
 * stack by a real IAM policy evaluator with the Service Authorization Reference (IamJudge).
 */
class IamIntentTest {
    private static final Path DAG = Path.of("src/main/resources/pipeline/dags/pipeline_emr.py");
    private static final Path BOOTSTRAP = Path.of("src/main/resources/scheduler/bootstrap.sh");
    private static final Path DAG_SYNC = Path.of("src/main/resources/scheduler/dag-sync.service");
    private static final Path SPARK_JOB = Path.of("src/main/resources/pipeline/jobs/processar_vendas.py");
    private static final Path SPARK_SQL = Path.of("src/main/resources/pipeline/jobs/processar_vendas.sql");
    private static final Path GUARD = Path.of("lambda/src/main/java/io/dataplatform/guard/EmrClusters.java");
    private static final Path GUARD_RUN = Path.of("lambda/src/main/java/io/dataplatform/guard/ClusterGuardHandler.java");
    private static final Path DEPLOY_WORKFLOW = Path.of(".github/workflows/deploy.yml");
    private static final Path PR_WORKFLOW = Path.of(".github/workflows/pull-request.yml");
    private static final String EMR_TAG = "for-use-with-amazon-emr-managed-policies";
    private static final String ACCOUNT = FakeDeployment.ACCOUNT;
    private static final String REGION = FakeDeployment.REGION;
    private static final String REPOSITORY = "acme/data-platform";

    private static final List<Call> CALLS = new ArrayList<>();
    private static Map<String, IamJudge.Result> results;

    /** A request, where it comes from in our code, and the decision AWS must reach. */
    record Call(String id, String who, String what, Principal principal, String action, String resource,
                Map<String, Object> context, Map<String, Object> resourcePolicy, boolean unvalidatedContext,
                boolean allowed, Path source, String sourceText, boolean inReadme) {

        Map<String, Object> request() {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("id", id);
            request.put("identityPolicies", principal == null ? List.of() : principal.identityPolicies());
            if (resourcePolicy != null) {
                request.put("resourcePolicy", resourcePolicy);
            }
            request.put("principal", principal == null ? String.valueOf(context.get("_principal")) : principal.arn());
            request.put("action", action);
            request.put("resource", resource);
            request.put("accountId", ACCOUNT);
            Map<String, Object> ctx = new LinkedHashMap<>(context);
            ctx.remove("_principal");
            if (principal != null) {
                ctx.putIfAbsent("aws:PrincipalArn", principal.arn()); // AWS sets it on every request of a role
            }
            request.put("context", ctx);
            request.put("unvalidatedContext", unvalidatedContext);
            return request;
        }
    }

    @BeforeAll
    static void evaluateEveryCall() {
        for (String env : List.of("dev", "prod")) {
            callsOf(env, deployment(Synth.fixture(env)));
        }
        callsOfDelivery();
        results = IamJudge.run(CALLS.stream().map(Call::request).toList(), List.of()).cases();
    }

    @TestFactory
    List<DynamicTest> everyCallGetsTheDecisionAwsWouldMake() {
        return CALLS.stream().map(call -> DynamicTest.dynamicTest(call.id(), () -> {
            IamJudge.Result result = results.get(call.id());
            String expected = call.allowed() ? "Allowed" : "denied";
            String message = "\n  principal: " + call.who() + (call.principal() == null ? "" : " (" + call.principal().arn() + ")")
                    + "\n  call:      " + call.action() + " on " + call.resource() + " " + call.context()
                    + "\n  expected:  " + expected + "  (" + call.what() + ")"
                    + "\n  actual:    " + result.decision() + (result.error() == null ? "" : " " + result.error())
                    + "\n  statements: " + String.join("\n              ", result.responsible());
            assertThat(result.error()).as(message).isNull();
            if (call.allowed()) {
                assertThat(result.decision()).as(message).isEqualTo("Allowed");
            } else {
                assertThat(result.decision()).as(message).isIn("ImplicitlyDenied", "ExplicitlyDenied");
            }
        })).toList();
    }

    @Test
    void everyCallIsStillMadeByTheCodeItCitesAndThereAreEnough() throws IOException {
        for (Call call : CALLS) {
            if (call.source() != null) {
                assertThat(Files.readString(CdkJson.projectRoot().resolve(call.source()))).as(call.id() + " cites " + call.source())
                        .contains(call.sourceText());
            }
        }
        assertThat(CALLS).hasSizeGreaterThanOrEqualTo(40);
        assertThat(CALLS.stream().filter(c -> !c.allowed())).hasSizeGreaterThanOrEqualTo(15);
    }

    @Test
    void readmeWhoCanDoWhatTableIsWhatTheSuiteChecks() throws IOException {
        StringBuilder table = new StringBuilder("| principal | call | decision |\n| --- | --- | --- |\n");
        CALLS.stream().filter(Call::inReadme).filter(c -> c.id().startsWith("dev ") || c.id().startsWith("delivery "))
                .forEach(c -> table.append("| ").append(c.who()).append(" | ").append(c.what()).append(" | ")
                        .append(c.allowed() ? "allowed" : "**denied**").append(" |\n"));
        String readme = Files.readString(CdkJson.projectRoot().resolve("README.md"));
        String start = "<!-- who-can-do-what:start (IamIntentTest keeps this table true) -->\n";
        String end = "<!-- who-can-do-what:end -->";
        assertThat(readme).contains(start).contains(end);
        String actual = readme.substring(readme.indexOf(start) + start.length(), readme.indexOf(end));
        assertThat(actual).as("README's who-can-do-what table; replace it with:\n" + table).isEqualTo(table.toString());
    }

    /** bin/platform-check asks AWS's policy simulator these calls after a deploy: the same cases as here. */
    @Test
    void theSelfCheckAsksAwsCallsThisSuiteJudges() throws IOException {
        Map<String, Object> file = map(new ObjectMapper().readValue(
                CdkJson.projectRoot().resolve("src/main/resources/check/pipeline-calls.json").toFile(), Map.class));
        List<Object> calls = io.dataplatform.support.Json.list(file.get("calls"));
        assertThat(calls).hasSizeGreaterThanOrEqualTo(10);
        for (Object raw : calls) {
            Map<String, Object> call = map(raw);
            assertThat(CALLS).as("bin/platform-check call " + call.get("what") + " is an IamIntentTest case")
                    .anySatisfy(c -> {
                        assertThat(c.id()).startsWith("dev ");
                        assertThat(c.what()).isEqualTo(call.get("what"));
                        assertThat(c.action()).isEqualTo(call.get("action"));
                        assertThat(c.allowed()).isEqualTo(call.get("allowed"));
                        Map<String, Object> expected = new LinkedHashMap<>();
                        map(call.get("context")).forEach((key, value) -> expected.put(key, devValue(value)));
                        assertThat(c.context()).isEqualTo(expected);
                    });
        }
    }

    private static Object devValue(Object value) {
        if (value instanceof List<?> values) {
            return values.stream().map(IamIntentTest::devValue).toList();
        }
        return value.toString().replace("${project}", "dataplat").replace("${env}", "dev");
    }

    /** Our EMR grants are AWS's AmazonEMRFullAccessPolicy_v2 or narrower, and still allow what EMR does. */
    @Test
    void emrGrantsAreTheManagedPolicysOrNarrowerAndStillAllowWhatEmrDoes() throws IOException {
        Map<String, Object> managedFile = map(new ObjectMapper().readValue(
                CdkJson.projectRoot().resolve("test/resources/iam/AmazonEMRFullAccessPolicy_v2.json").toFile(), Map.class));
        Map<String, Object> managed = Map.of("name", "AmazonEMRFullAccessPolicy_v2", "policy", managedFile.get("document"));
        FakeDeployment dev = deployment(Synth.fixture("dev"));
        Principal airflow = Principal.role(dev, "Airflow tasks", "dataplat-dev-scheduler", "InstanceRoleTaskRole");
        Map<String, String> ourToDefault = Map.of(
                roleArn(dev, "dataplat-dev-emr", "RolesServiceRole"), "EMR_DefaultRole_V2",
                roleArn(dev, "dataplat-dev-emr", "RolesEc2Role"), "EMR_EC2_DefaultRole",
                roleArn(dev, "dataplat-dev-emr", "RolesAutoScalingRole"), "EMR_AutoScaling_DefaultRole");
        Map<String, String> serviceOf = Map.of("EMR_DefaultRole_V2", "elasticmapreduce.amazonaws.com",
                "EMR_EC2_DefaultRole", "ec2.amazonaws.com", "EMR_AutoScaling_DefaultRole", "application-autoscaling.amazonaws.com");
        List<String> services = List.of("elasticmapreduce.amazonaws.com", "elasticmapreduce.amazonaws.com.cn", "ec2.amazonaws.com",
                "ec2.amazonaws.com.cn", "application-autoscaling.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com",
                "glue.amazonaws.com", "sagemaker.amazonaws.com");
        List<Map<String, Object>> requests = new ArrayList<>();
        List<String[]> pairs = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, String> role : ourToDefault.entrySet()) {
            for (String service : services) {
                String id = "pass-" + n++;
                String defaultArn = "arn:aws:iam::" + ACCOUNT + ":role/" + role.getValue();
                requests.add(request(id + "-ours", List.of(airflow.identityPolicies()), airflow.arn(), "iam:PassRole", role.getKey(),
                        Map.of("iam:PassedToService", service)));
                requests.add(request(id + "-aws", List.of(List.of(managed)), airflow.arn(), "iam:PassRole", defaultArn,
                        Map.of("iam:PassedToService", service)));
                pairs.add(new String[] {id, role.getValue() + " to " + service, String.valueOf(service.equals(serviceOf.get(role.getValue())))});
            }
        }
        Map<String, Object> tagged = Map.of("aws:RequestTag/" + EMR_TAG, "true", "aws:RequestTag/Project", "dataplat",
                "aws:RequestTag/Environment", "dev", "aws:TagKeys", List.of(EMR_TAG, "Project", "Environment"));
        Map<String, Object> untagged = Map.of("aws:RequestTag/Project", "dataplat", "aws:TagKeys", List.of("Project"));
        for (Map.Entry<String, Map<String, Object>> variant : Map.of("run-tagged", tagged, "run-untagged", untagged).entrySet()) {
            requests.add(request(variant.getKey() + "-ours", List.of(airflow.identityPolicies()), airflow.arn(),
                    "elasticmapreduce:RunJobFlow", "*", variant.getValue()));
            requests.add(request(variant.getKey() + "-aws", List.of(List.of(managed)), airflow.arn(),
                    "elasticmapreduce:RunJobFlow", "*", variant.getValue()));
            pairs.add(new String[] {variant.getKey(), "RunJobFlow " + variant.getKey(), String.valueOf(variant.getValue() == tagged)});
        }
        for (String service : List.of("elasticmapreduce.amazonaws.com", "elasticmapreduce.amazonaws.com.cn", "ecs.amazonaws.com")) {
            String id = "slr-" + service;
            String slr = "arn:aws:iam::" + ACCOUNT + ":role/aws-service-role/" + service + "/AWSServiceRoleForEMRCleanup";
            requests.add(request(id + "-ours", List.of(airflow.identityPolicies()), airflow.arn(), "iam:CreateServiceLinkedRole", slr,
                    Map.of("iam:AWSServiceName", service)));
            requests.add(request(id + "-aws", List.of(List.of(managed)), airflow.arn(), "iam:CreateServiceLinkedRole", slr,
                    Map.of("iam:AWSServiceName", service)));
            pairs.add(new String[] {id, "CreateServiceLinkedRole for " + service, String.valueOf(service.startsWith("elasticmapreduce"))});
        }
        Map<String, IamJudge.Result> answers = IamJudge.run(requests, List.of()).cases();
        for (String[] pair : pairs) {
            boolean ours = "Allowed".equals(answers.get(pair[0] + "-ours").decision());
            boolean aws = "Allowed".equals(answers.get(pair[0] + "-aws").decision());
            assertThat(answers.get(pair[0] + "-ours").error()).as(pair[1]).isNull();
            assertThat(!ours || aws).as(pair[1] + ": allowed by us but not by AmazonEMRFullAccessPolicy_v2").isTrue();
            if (Boolean.parseBoolean(pair[2])) {
                assertThat(ours && aws).as(pair[1] + " is what EMR does: both must allow it (ours: " + ours + ", AWS: " + aws + ")").isTrue();
            }
        }
    }

    // ---- the calls -------------------------------------------------------------------------------

    private static void callsOf(String env, FakeDeployment d) {
        String other = env.equals("dev") ? "prod" : "dev";
        String lake = "dataplat-" + env + "-datalake";
        String emr = "dataplat-" + env + "-emr";
        String scheduler = "dataplat-" + env + "-scheduler";
        String monitoring = "dataplat-" + env + "-monitoring";
        Principal host = Principal.role(d, "Airflow instance (root)", scheduler, "InstanceRoleA57500A0");
        Principal airflow = Principal.role(d, "Airflow tasks", scheduler, "InstanceRoleTaskRole");
        Principal nodes = Principal.role(d, "EMR cluster nodes", emr, "RolesEc2Role");
        Principal service = Principal.role(d, "EMR service role", emr, "RolesServiceRole");
        Principal guard = Principal.role(d, "cluster guard Lambda", monitoring, "ClusterGuardFunctionServiceRole");
        String raw = bucketArn(d, lake, "RawBucket");
        String curated = bucketArn(d, lake, "CuratedBucket");
        String artifacts = bucketArn(d, lake, "ArtifactsBucket");
        String logs = bucketArn(d, lake, "LogsBucket");
        String otherRaw = bucketArn(deployment(Synth.fixture(other)), "dataplat-" + other + "-datalake", "RawBucket");
        String serviceRole = roleArn(d, emr, "RolesServiceRole");
        String nodesRole = roleArn(d, emr, "RolesEc2Role");
        String scalingRole = roleArn(d, emr, "RolesAutoScalingRole");
        String cluster = "arn:aws:elasticmapreduce:" + REGION + ":" + ACCOUNT + ":cluster/j-2AXXXXXXGAPLF";
        Map<String, Object> ourCluster = Map.of("aws:ResourceTag/" + EMR_TAG, "true", "aws:ResourceTag/Project", "dataplat",
                "aws:ResourceTag/Environment", env);
        Map<String, Object> dagTags = Map.of("aws:RequestTag/" + EMR_TAG, "true", "aws:RequestTag/Project", "dataplat",
                "aws:RequestTag/Environment", env, "aws:RequestTag/Pipeline", "pipeline_emr",
                "aws:TagKeys", List.of(EMR_TAG, "Project", "Environment", "Pipeline"));
        String p = env + " ";

        // Airflow: the DAG's operators.
        add(p + "airflow RunJobFlow", airflow, "create a cluster tagged for the EMR managed policies (DAG: criar_cluster_emr)",
                "elasticmapreduce:RunJobFlow", "*", dagTags, null, true, DAG, "\"Key\": \"" + EMR_TAG + "\", \"Value\": \"true\"", true);
        add(p + "airflow RunJobFlow untagged", airflow, "create a cluster without the managed-policy tag",
                "elasticmapreduce:RunJobFlow", "*", Map.of("aws:RequestTag/Project", "dataplat", "aws:TagKeys", List.of("Project")),
                null, false, null, null, true);
        add(p + "airflow PassRole service role", airflow, "pass the EMR service role to EMR (RunJobFlow ServiceRole)",
                "iam:PassRole", serviceRole, Map.of("iam:PassedToService", "elasticmapreduce.amazonaws.com"), null, true,
                DAG, "\"ServiceRole\": \"{{ var.value.emr_service_role }}\"", true);
        add(p + "airflow PassRole nodes role", airflow, "pass the nodes' role to EC2 (RunJobFlow JobFlowRole)",
                "iam:PassRole", nodesRole, Map.of("iam:PassedToService", "ec2.amazonaws.com"), null, true,
                DAG, "\"JobFlowRole\": \"{{ var.value.emr_instance_profile }}\"", true);
        // The sample DAG passes no auto-scaling role (it sets no scaling policy); DAGs that attach custom
        // automatic scaling policies pass it, to Application Auto Scaling only.
        add(p + "airflow PassRole auto-scaling role", airflow, "pass the auto-scaling role to Application Auto Scaling",
                "iam:PassRole", scalingRole, Map.of("iam:PassedToService", "application-autoscaling.amazonaws.com"), null, true,
                null, null, true);
        add(p + "airflow PassRole nodes role to lambda", airflow, "pass the nodes' role to any other service",
                "iam:PassRole", nodesRole, Map.of("iam:PassedToService", "lambda.amazonaws.com"), null, false, null, null, true);
        add(p + "airflow PassRole own role", airflow, "pass its own role (privilege escalation)",
                "iam:PassRole", airflow.arn(), Map.of("iam:PassedToService", "ec2.amazonaws.com"), null, false, null, null, true);
        add(p + "airflow PassRole guard role", airflow, "pass any other role of the platform",
                "iam:PassRole", guard.arn(), Map.of("iam:PassedToService", "elasticmapreduce.amazonaws.com"), null, false, null, null, false);
        add(p + "airflow PassRole other environment", airflow, "pass the other environment's EMR service role",
                "iam:PassRole", roleArn(deployment(Synth.fixture(other)), "dataplat-" + other + "-emr", "RolesServiceRole"),
                Map.of("iam:PassedToService", "elasticmapreduce.amazonaws.com"), null, false, null, null, false);
        add(p + "airflow CreateServiceLinkedRole EMR cleanup", airflow, "create EMR's cleanup service-linked role (first cluster in an account)",
                "iam:CreateServiceLinkedRole", "arn:aws:iam::" + ACCOUNT + ":role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup",
                Map.of("iam:AWSServiceName", "elasticmapreduce.amazonaws.com"), null, true, null, null, true);
        add(p + "airflow CreateServiceLinkedRole other service", airflow, "create another service's service-linked role",
                "iam:CreateServiceLinkedRole", "arn:aws:iam::" + ACCOUNT + ":role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
                Map.of("iam:AWSServiceName", "ecs.amazonaws.com"), null, false, null, null, false);
        add(p + "airflow AddJobFlowSteps", airflow, "add the Spark step to a platform cluster (DAG: adicionar_steps_spark)",
                "elasticmapreduce:AddJobFlowSteps", cluster, ourCluster, null, true, DAG, "EmrAddStepsOperator(", true);
        add(p + "airflow DescribeStep", airflow, "watch the step (DAG: aguardar_step_spark)",
                "elasticmapreduce:DescribeStep", cluster, ourCluster, null, true, DAG, "EmrStepSensor(", false);
        add(p + "airflow DescribeCluster", airflow, "read the cluster's state",
                "elasticmapreduce:DescribeCluster", cluster, ourCluster, null, true, DAG, "EmrCreateJobFlowOperator(", false);
        add(p + "airflow TerminateJobFlows", airflow, "terminate a platform cluster (DAG: terminar_cluster_emr)",
                "elasticmapreduce:TerminateJobFlows", cluster, ourCluster, null, true, DAG, "EmrTerminateJobFlowOperator(", true);
        add(p + "airflow TerminateJobFlows foreign cluster", airflow, "terminate a cluster without the managed-policy tag",
                "elasticmapreduce:TerminateJobFlows", cluster, Map.of("aws:ResourceTag/Project", "other"), null, false, null, null, true);
        // Between environments and teams: clusters are this environment's by their Project and Environment tags,
        // and no DAG can tag a cluster (or it could make any cluster look like its own).
        Map<String, Object> otherEnvCluster = Map.of("aws:ResourceTag/" + EMR_TAG, "true", "aws:ResourceTag/Project", "dataplat",
                "aws:ResourceTag/Environment", other);
        Map<String, Object> otherTeamCluster = Map.of("aws:ResourceTag/" + EMR_TAG, "true", "aws:ResourceTag/Project", "analytics");
        add(p + "airflow AddJobFlowSteps other environment", airflow, "add a step to the other environment's cluster (runs as its nodes' role)",
                "elasticmapreduce:AddJobFlowSteps", cluster, otherEnvCluster, null, false, null, null, true);
        add(p + "airflow TerminateJobFlows other environment", airflow, "terminate the other environment's cluster",
                "elasticmapreduce:TerminateJobFlows", cluster, otherEnvCluster, null, false, null, null, false);
        add(p + "airflow AddJobFlowSteps other team", airflow, "add a step to another team's cluster made with the EMR managed policies",
                "elasticmapreduce:AddJobFlowSteps", cluster, otherTeamCluster, null, false, null, null, true);
        add(p + "airflow DescribeCluster other team", airflow, "read another team's cluster",
                "elasticmapreduce:DescribeCluster", cluster, otherTeamCluster, null, false, null, null, false);
        add(p + "airflow AddTags as own", airflow, "tag another cluster with this environment's tags",
                "elasticmapreduce:AddTags", cluster, Map.of("aws:RequestTag/" + EMR_TAG, "true", "aws:RequestTag/Project", "dataplat",
                        "aws:RequestTag/Environment", env, "aws:TagKeys", List.of(EMR_TAG, "Project", "Environment")),
                null, false, null, null, true);
        add(p + "airflow RemoveTags", airflow, "remove a cluster's tags",
                "elasticmapreduce:RemoveTags", cluster, Map.of("aws:TagKeys", List.of("Environment")), null, false, null, null, false);
        add(p + "airflow RunJobFlow other environment tags", airflow, "create a cluster tagged as the other environment's",
                "elasticmapreduce:RunJobFlow", "*", Map.of("aws:RequestTag/" + EMR_TAG, "true", "aws:RequestTag/Project", "dataplat",
                        "aws:RequestTag/Environment", other, "aws:TagKeys", List.of(EMR_TAG, "Project", "Environment")),
                null, false, null, null, false);
        add(p + "airflow sensor GetObject raw", airflow, "read the input object (DAG: aguardar_entrada, S3KeySensor)",
                "s3:GetObject", raw + "/samples/vendas/data_venda=2025-09-01/dados_vendas.csv", Map.of(), null, true, DAG, "S3KeySensor(", false);
        add(p + "airflow sensor ListBucket raw", airflow, "list the date's input folder (DAG: aguardar_entrada, wildcard)",
                "s3:ListBucket", raw, Map.of("s3:prefix", "samples/vendas/data_venda=2025-09-01/"), null, true, DAG,
                "wildcard_match=True", false);
        // Airflow's tasks never hold the instance role (the units block the metadata service, the bootstrap gives
        // them the task role): what root does on the host, a task cannot.
        String taskRole = roleArn(d, scheduler, "InstanceRoleTaskRole");
        add(p + "instance provides task credentials", null, "Airflow instance (root)", "assume the task role for Airflow (bootstrap)",
                "sts:AssumeRole", taskRole, Map.of("_principal", host.arn()), airflow.trustPolicy(), true, true,
                BOOTSTRAP, "aws sts assume-role", false);
        add(p + "nodes assume task role", null, "EMR cluster nodes", "assume the Airflow task role",
                "sts:AssumeRole", taskRole, Map.of("_principal", nodes.arn()), airflow.trustPolicy(), true, false, null, null, false);
        add(p + "airflow task reads admin password", airflow, "read the Airflow admin password",
                "secretsmanager:GetSecretValue", secretArn(d, scheduler, "SecretsAdminPassword"), Map.of(), null, false, null, null, true);
        add(p + "airflow task overwrites keys", airflow, "overwrite the keys secret",
                "secretsmanager:PutSecretValue", secretArn(d, scheduler, "SecretsKeys"), Map.of(), null, false, null, null, true);
        add(p + "airflow task marks off hours", airflow, "put OffHours=1 (silences the host's alarms)",
                "cloudwatch:PutMetricData", "*", Map.of("cloudwatch:namespace", "DataPlatform/dataplat-" + env + "/Airflow"),
                null, false, null, null, true);
        add(p + "airflow task cuts log retention", airflow, "change a log group's retention",
                "logs:PutRetentionPolicy", "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:flow-logs:*", Map.of(), null, false,
                null, null, false);
        add(p + "airflow task reads parameters", airflow, "read any SSM parameter",
                "ssm:GetParameter", "arn:aws:ssm:" + REGION + ":" + ACCOUNT + ":parameter/prod/db-password", Map.of(), null, false,
                null, null, false);
        // The instance role itself: the CloudWatch agent and Session Manager, scoped (no AWS managed policies).
        String serviceLogs = d.attribute(scheduler, d.logicalId(scheduler, "AWS::Logs::LogGroup", "ServiceLogs"), "Arn");
        add(p + "host agent ships logs", host, "ship the services' logs (CloudWatch agent)",
                "logs:PutLogEvents", serviceLogs.replaceAll(":\\*$", "") + ":log-stream:i-0123/airflow", Map.of(), null, true,
                null, null, false);
        add(p + "host agent metrics", host, "put memory, disk and StatsD metrics into its namespace (CloudWatch agent)",
                "cloudwatch:PutMetricData", "*", Map.of("cloudwatch:namespace", "DataPlatform/dataplat-" + env + "/Airflow"),
                null, true, BOOTSTRAP, "aws cloudwatch put-metric-data", false);
        add(p + "host foreign metric", host, "put metrics into another namespace", "cloudwatch:PutMetricData", "*",
                Map.of("cloudwatch:namespace", "AWS/EC2"), null, false, null, null, false);
        add(p + "host cuts log retention", host, "change a log group's retention (CloudWatchAgentServerPolicy allowed it)",
                "logs:PutRetentionPolicy", serviceLogs, Map.of(), null, false, null, null, false);
        add(p + "host reads parameters", host, "read any SSM parameter (AmazonSSMManagedInstanceCore allowed it)",
                "ssm:GetParameter", "arn:aws:ssm:" + REGION + ":" + ACCOUNT + ":parameter/prod/db-password", Map.of(), null, false,
                null, null, false);
        add(p + "host session manager", host, "open Session Manager channels (SSM agent)",
                "ssmmessages:OpenDataChannel", "*", Map.of(), null, true, null, null, false);
        assertThat(host.awsManagedPolicies()).as(env + ": AWS managed policies of the Airflow instance role").isEmpty();
        assertThat(airflow.awsManagedPolicies()).as(env + ": AWS managed policies of the Airflow task role").isEmpty();
        assertThat(nodes.awsManagedPolicies()).as(env + ": AWS managed policies of the EMR nodes' role").isEmpty();

        // Airflow: the bootstrap and the instance's services.
        add(p + "airflow GetSecretValue keys", host, "read the Fernet/API/JWT keys (bootstrap)",
                "secretsmanager:GetSecretValue", secretArn(d, scheduler, "SecretsKeys"), Map.of(), null, true,
                BOOTSTRAP, "aws secretsmanager get-secret-value", true);
        add(p + "airflow GetSecretValue admin", host, "read the admin password (bootstrap)",
                "secretsmanager:GetSecretValue", secretArn(d, scheduler, "SecretsAdminPassword"), Map.of(), null, true,
                BOOTSTRAP, "ADMIN_SECRET_ARN", false);
        add(p + "airflow PutSecretValue keys", host, "store generated keys once (bootstrap)",
                "secretsmanager:PutSecretValue", secretArn(d, scheduler, "SecretsKeys"), Map.of(), null, true,
                BOOTSTRAP, "aws secretsmanager put-secret-value", false);
        add(p + "airflow PutSecretValue admin", host, "overwrite the admin password secret",
                "secretsmanager:PutSecretValue", secretArn(d, scheduler, "SecretsAdminPassword"), Map.of(), null, false, null, null, true);
        add(p + "airflow sync DAGs GetObject", host, "read DAGs from artifacts/dags/ (dag-sync)",
                "s3:GetObject", artifacts + "/dags/pipeline_emr.py", Map.of(), null, true, DAG_SYNC, "s3://$ARTIFACTS_BUCKET/dags/", true);
        add(p + "airflow sync DAGs ListBucket", host, "list artifacts/dags/ (dag-sync)",
                "s3:ListBucket", artifacts, Map.of("s3:prefix", "dags/"), null, true, DAG_SYNC, "aws s3 sync", false);
        add(p + "airflow list artifacts outside dags", host, "list the rest of the artifacts bucket",
                "s3:ListBucket", artifacts, Map.of("s3:prefix", "jobs/"), null, false, null, null, false);
        add(p + "airflow write dags", host, "write a DAG into artifacts/dags/",
                "s3:PutObject", artifacts + "/dags/evil.py", Map.of(), null, false, null, null, true);
        add(p + "airflow write task logs", airflow, "write task logs to logs/airflow/ (remote logging)",
                "s3:PutObject", logs + "/airflow/dag_id=pipeline_emr/attempt=1.log", Map.of(), null, true,
                BOOTSTRAP, "AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER=s3://$LOGS_BUCKET/airflow", false);
        add(p + "airflow delete raw bucket", airflow, "delete a data-lake bucket",
                "s3:DeleteBucket", raw, Map.of(), null, false, null, null, true);
        add(p + "airflow read other environment", airflow, "read the other environment's raw data",
                "s3:GetObject", otherRaw + "/samples/vendas/data_venda=2025-09-01/dados_vendas.csv", Map.of(), null, false, null, null, false);
        if (!d.resources(scheduler, "AWS::EC2::Volume").isEmpty()) {
            String volume = "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":volume/" + d.ref(scheduler, d.logicalId(scheduler, "AWS::EC2::Volume", "DataVolume"));
            String previous = "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":instance/i-0previous0000000";
            add(p + "airflow take over volume", host, "attach its data volume (bootstrap)",
                    "ec2:AttachVolume", volume, Map.of(), null, true, BOOTSTRAP, "aws ec2 attach-volume", false);
            add(p + "airflow stop replaced instance", host, "stop the Airflow instance it replaces (bootstrap)",
                    "ec2:StopInstances", previous, Map.of("aws:ResourceTag/aws:cloudformation:stack-name", scheduler,
                            "aws:ResourceTag/DataPlatformRole", "airflow-scheduler"), null, true, BOOTSTRAP, "aws ec2 stop-instances", true);
            add(p + "airflow hands volume back", host, "give the volume back to the instance it replaced (failed replacement)",
                    "ec2:AttachVolume", previous, Map.of("aws:ResourceTag/aws:cloudformation:stack-name", scheduler,
                            "aws:ResourceTag/DataPlatformRole", "airflow-scheduler"), null, true, BOOTSTRAP, "hand_volume_back", false);
            add(p + "airflow restarts replaced instance", host, "start the instance it replaced again (failed replacement)",
                    "ec2:StartInstances", previous, Map.of("aws:ResourceTag/aws:cloudformation:stack-name", scheduler,
                            "aws:ResourceTag/DataPlatformRole", "airflow-scheduler"), null, true, BOOTSTRAP, "aws ec2 start-instances", true);
            add(p + "airflow start other instance", host, "start any other instance",
                    "ec2:StartInstances", previous, Map.of("aws:ResourceTag/aws:cloudformation:stack-name", "dataplat-" + env + "-network"),
                    null, false, null, null, false);
            add(p + "airflow stop other instance", host, "stop any other instance",
                    "ec2:StopInstances", previous, Map.of("aws:ResourceTag/aws:cloudformation:stack-name", "dataplat-" + env + "-network"),
                    null, false, null, null, true);
            add(p + "airflow attach other volume", host, "attach any other volume",
                    "ec2:AttachVolume", "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":volume/vol-0other", Map.of(), null, false, null, null, false);
        }

        // Service roles: only this account's flow logs and lifecycle policies may assume them (confused deputy).
        Principal flowLogRole = Principal.role(d, "VPC flow logs", "dataplat-" + env + "-network", "VpcFlowLogIAMRole");
        String netStack = "dataplat-" + env + "-network";
        add(p + "flow logs deliver", null, "VPC flow logs", "deliver this account's flow logs (assume the role)", "sts:AssumeRole",
                flowLogRole.arn(), Map.of("_principal", "vpc-flow-logs.amazonaws.com", "aws:SourceAccount", ACCOUNT,
                        "aws:SourceArn", "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":vpc-flow-log/fl-0123"),
                flowLogRole.trustPolicy(), true, true, null, null, false);
        add(p + "flow logs of another account", null, "VPC flow logs", "another account's flow log assumes the role", "sts:AssumeRole",
                flowLogRole.arn(), Map.of("_principal", "vpc-flow-logs.amazonaws.com", "aws:SourceAccount", "444455556666",
                        "aws:SourceArn", "arn:aws:ec2:" + REGION + ":444455556666:vpc-flow-log/fl-0123"),
                flowLogRole.trustPolicy(), true, false, null, null, false);
        if (!d.resources(scheduler, "AWS::DLM::LifecyclePolicy").isEmpty()) {
            Principal dlm = Principal.role(d, "Data Lifecycle Manager", scheduler, "DataVolumeBackupRole");
            add(p + "dlm snapshots", null, "Data Lifecycle Manager", "snapshot the data volume (assume the role)", "sts:AssumeRole",
                    dlm.arn(), Map.of("_principal", "dlm.amazonaws.com", "aws:SourceAccount", ACCOUNT,
                            "aws:SourceArn", "arn:aws:dlm:" + REGION + ":" + ACCOUNT + ":policy/policy-0123"),
                    dlm.trustPolicy(), true, true, null, null, false);
            add(p + "dlm of another account", null, "Data Lifecycle Manager", "another account's lifecycle policy assumes the role",
                    "sts:AssumeRole", dlm.arn(), Map.of("_principal", "dlm.amazonaws.com", "aws:SourceAccount", "444455556666",
                            "aws:SourceArn", "arn:aws:dlm:" + REGION + ":444455556666:policy/policy-0123"),
                    dlm.trustPolicy(), true, false, null, null, false);
        }

        // The off-hours schedules (environments that have them).
        if (d.resources(scheduler, "AWS::IAM::Role").keySet().stream().anyMatch(id -> id.startsWith("OffHoursRole"))) {
            Principal offHours = Principal.role(d, "off-hours schedules", scheduler, "OffHoursRole");
            String instance = "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":instance/"
                    + d.ref(scheduler, d.logicalId(scheduler, "AWS::EC2::Instance", "Instance"));
            add(p + "off-hours stops Airflow", offHours, "stop the Airflow instance at night", "ec2:StopInstances", instance,
                    Map.of(), null, true, null, null, true);
            add(p + "off-hours stops other instance", offHours, "stop any other instance", "ec2:StopInstances",
                    "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":instance/i-0other", Map.of(), null, false, null, null, false);
            add(p + "off-hours marks the night", offHours, "put the OffHours metric that suppresses the host's notifications",
                    "cloudwatch:PutMetricData", "*", Map.of("cloudwatch:namespace", "DataPlatform/dataplat-" + env + "/Airflow"),
                    null, true, null, null, false);
            add(p + "off-hours foreign metric", offHours, "put metrics into another namespace", "cloudwatch:PutMetricData", "*",
                    Map.of("cloudwatch:namespace", "AWS/EC2"), null, false, null, null, false);
        }

        // EMR cluster nodes: the Spark job and the cluster's own logs.
        add(p + "nodes read input", nodes, "read raw input (Spark job)",
                "s3:GetObject", raw + "/samples/vendas/data_venda=2025-09-01/dados_vendas.csv", Map.of(), null, true, SPARK_SQL, "USING csv", true);
        add(p + "nodes list input", nodes, "list the date's input folder (Spark job)",
                "s3:ListBucket", raw, Map.of("s3:prefix", "samples/vendas/data_venda=2025-09-01/"), null, true, SPARK_SQL,
                "path '${vendas.input_path}'", false);
        add(p + "nodes read job SQL", nodes, "read the job's SQL from artifacts/jobs/",
                "s3:GetObject", artifacts + "/jobs/processar_vendas.sql", Map.of(), null, true, DAG, "\"s3://{{ var.value.artifacts_bucket }}/\" + JOB_SQL_KEY", false);
        add(p + "nodes read job", nodes, "read the Spark job from artifacts/jobs/",
                "s3:GetObject", artifacts + "/jobs/processar_vendas.py", Map.of(), null, true, DAG, "\"s3://{{ var.value.artifacts_bucket }}/\" + JOB_KEY", false);
        add(p + "nodes write curated", nodes, "write curated Parquet (Spark job)",
                "s3:PutObject", curated + "/vendas_por_vendedor/run_date=2025-09-01/part-0000.parquet", Map.of(), null, true,
                SPARK_JOB, ".parquet(", true);
        add(p + "nodes replace partition", nodes, "delete the partition it overwrites (dynamic partition overwrite)",
                "s3:DeleteObject", curated + "/vendas_por_vendedor/run_date=2025-09-01/part-0000.parquet", Map.of(), null, true,
                SPARK_JOB, "partitionOverwriteMode", false);
        add(p + "nodes write rejects", nodes, "write rejected rows with their reason (Spark job)",
                "s3:PutObject", curated + "/rejects/vendas_por_vendedor/run_date=2025-09-01/part-0000.csv", Map.of(), null, true,
                SPARK_JOB, "vendas_rejeitadas\").write", true);
        add(p + "nodes write cluster logs", nodes, "write cluster logs to logs/emr/",
                "s3:PutObject", logs + "/emr/j-2AXXXXXXGAPLF/steps/s-1/stderr.gz", Map.of(), null, true, DAG, "\"LogUri\"", false);
        add(p + "nodes write raw", nodes, "write into the raw zone",
                "s3:PutObject", raw + "/samples/x.csv", Map.of(), null, false, null, null, true);
        add(p + "nodes write airflow logs", nodes, "write Airflow's task logs",
                "s3:PutObject", logs + "/airflow/x.log", Map.of(), null, false, null, null, false);
        add(p + "nodes read other environment", nodes, "read the other environment's raw data",
                "s3:GetObject", otherRaw + "/samples/x.csv", Map.of(), null, false, null, null, true);
        add(p + "nodes mark off hours", nodes, "put OffHours=1 into the Airflow namespace (silences the host's alarms)",
                "cloudwatch:PutMetricData", "*", Map.of("cloudwatch:namespace", "DataPlatform/dataplat-" + env + "/Airflow"),
                null, false, null, null, true);
        add(p + "nodes read parameters", nodes, "read any SSM parameter", "ssm:GetParameters",
                "arn:aws:ssm:" + REGION + ":" + ACCOUNT + ":parameter/prod/db-password", Map.of(), null, false, null, null, false);
        add(p + "nodes delete curated bucket", nodes, "delete the curated bucket",
                "s3:DeleteBucket", curated, Map.of(), null, false, null, null, false);
        String diskKey = d.attribute(emr, d.logicalId(emr, "AWS::KMS::Key", "SecurityConfigurationLocalDiskKey"), "Arn");
        Map<String, Object> keyPolicy = map(d.resolve(emr, map(d.resources(emr, "AWS::KMS::Key")
                .get(d.logicalId(emr, "AWS::KMS::Key", "SecurityConfigurationLocalDiskKey")).get("Properties")).get("KeyPolicy")));
        add(p + "nodes decrypt local disks", nodes, "use the disk key for local-disk encryption",
                "kms:GenerateDataKey", diskKey, Map.of(), keyPolicy, true, null, null, false);

        // Who writes what runs: DAGs (run on the Airflow host), jobs (run as the nodes' role) and raw input. The buckets'
        // policies let only the DAG authors' role and the sample pipeline's deployer write there, whatever an
        // identity policy allows; nobody deletes object versions (a mass delete stays restorable).
        Principal author = Principal.role(d, "DAG authors (DagAuthorRole)", lake, "WritersDagAuthorRole");
        Principal deployer = Principal.role(d, "sample pipeline deployer", emr, "SamplePipelineDeployerRole");
        Principal admin = new Principal("an administrator (s3:* on *)", "arn:aws:iam::" + ACCOUNT + ":role/Admin",
                List.of(Map.of("name", "admin", "policy", Map.of("Version", "2012-10-17", "Statement", List.of(
                        Map.of("Effect", "Allow", "Action", "s3:*", "Resource", "*"))))), Map.of(), List.of());
        Map<String, Object> artifactsPolicy = bucketPolicy(d, lake, "ArtifactsBucket");
        Map<String, Object> rawPolicy = bucketPolicy(d, lake, "RawBucket");
        Map<String, Object> curatedPolicy = bucketPolicy(d, lake, "CuratedBucket");
        add(p + "author writes DAG", author, "put a DAG into artifacts/dags/", "s3:PutObject", artifacts + "/dags/my_dag.py",
                Map.of(), artifactsPolicy, true, null, null, true);
        add(p + "author writes job", author, "put a Spark job into artifacts/jobs/", "s3:PutObject", artifacts + "/jobs/my_job.py",
                Map.of(), artifactsPolicy, true, null, null, false);
        add(p + "author writes raw", author, "upload raw input", "s3:PutObject", raw + "/vendas/data_venda=2025-09-05/x.csv",
                Map.of(), rawPolicy, true, null, null, true);
        add(p + "author deletes object version", author, "delete an object version of raw (permanent)", "s3:DeleteObjectVersion",
                raw + "/vendas/x.csv", Map.of(), rawPolicy, false, null, null, false);
        add(p + "admin writes DAG", admin, "put a DAG into artifacts/dags/ (code on the Airflow host)", "s3:PutObject",
                artifacts + "/dags/evil.py", Map.of(), artifactsPolicy, false, null, null, true);
        add(p + "admin writes job", admin, "replace a Spark job (code as the nodes' role)", "s3:PutObject",
                artifacts + "/jobs/processar_vendas.py", Map.of(), artifactsPolicy, false, null, null, false);
        add(p + "admin writes raw", admin, "write raw input", "s3:PutObject", raw + "/vendas/x.csv", Map.of(), rawPolicy, false,
                null, null, false);
        add(p + "admin deletes curated versions", admin, "delete object versions of curated (makes a mass delete permanent)",
                "s3:DeleteObjectVersion", curated + "/vendas_por_vendedor/x.parquet", Map.of(), curatedPolicy, false, null, null, true);
        add(p + "admin reads artifacts", admin, "read a DAG (reads stay with identity policies)", "s3:GetObject",
                artifacts + "/dags/pipeline_emr.py", Map.of(), artifactsPolicy, true, null, null, false);
        add(p + "deployer ships DAG", deployer, "ship the sample DAG (BucketDeployment)", "s3:PutObject",
                artifacts + "/dags/pipeline_emr.py", Map.of(), artifactsPolicy, true, null, null, false);
        add(p + "deployer ships samples", deployer, "ship the sample data (BucketDeployment)", "s3:PutObject",
                raw + "/samples/vendas/data_venda=2025-09-01/dados_vendas.csv", Map.of(), rawPolicy, true, null, null, false);
        add(p + "deployer writes elsewhere", deployer, "write outside the sample pipeline's prefixes", "s3:PutObject",
                raw + "/vendas/x.csv", Map.of(), rawPolicy, false, null, null, true);
        add(p + "deployer deletes", deployer, "delete an object of raw", "s3:DeleteObject", raw + "/samples/vendas/x.csv",
                Map.of(), rawPolicy, false, null, null, true);
        add(p + "deployer deletes versions", deployer, "delete an object version of artifacts", "s3:DeleteObjectVersion",
                artifacts + "/dags/pipeline_emr.py", Map.of(), artifactsPolicy, false, null, null, false);

        // Operators (whoever gets the scheduler stack's OperatorPolicy): Session Manager to this host, on the record.
        Principal operator = Principal.managedPolicy(d, "operators (OperatorPolicy)", scheduler, "OperatorsPolicy",
                "arn:aws:iam::" + ACCOUNT + ":role/operator");
        String airflowInstance = "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":instance/"
                + d.ref(scheduler, d.logicalId(scheduler, "AWS::EC2::Instance", "Instance"));
        Map<String, Object> airflowHostTags = Map.of("ssm:resourceTag/Project", "dataplat", "ssm:resourceTag/Environment", env,
                "ssm:resourceTag/DataPlatformRole", "airflow-scheduler", "ssm:SessionDocumentAccessCheck", "true");
        String documents = "arn:aws:ssm:" + REGION + ":" + ACCOUNT + ":document/";
        add(p + "operator shell on the host", operator, operator.label(), "start a session on the Airflow host", "ssm:StartSession", airflowInstance,
                airflowHostTags, null, true, true, null, null, true);
        add(p + "operator transcribed shell", operator, operator.label(), "use the transcribed session document (output OpenShell)", "ssm:StartSession",
                documents + "dataplat-" + env + "-airflow-sessions", Map.of("ssm:SessionDocumentAccessCheck", "true"), null, true, true,
                null, null, false);
        add(p + "operator UI port forwarding", operator, operator.label(), "forward the UI port (AWS-StartPortForwardingSession)", "ssm:StartSession",
                "arn:aws:ssm:" + REGION + "::document/AWS-StartPortForwardingSession", Map.of("ssm:SessionDocumentAccessCheck", "true"),
                null, true, true, null, null, false);
        add(p + "operator untranscribed shell", operator, operator.label(), "open a shell with the default document (no transcript)", "ssm:StartSession",
                documents + "SSM-SessionManagerRunShell", Map.of("ssm:SessionDocumentAccessCheck", "true"), null, true, false,
                null, null, true);
        add(p + "operator other instance", operator, operator.label(), "start a session on another instance of the account", "ssm:StartSession",
                "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":instance/i-0other", Map.of("ssm:resourceTag/Project", "dataplat",
                        "ssm:resourceTag/Environment", other, "ssm:SessionDocumentAccessCheck", "true"), null, true, false,
                null, null, true);
        add(p + "operator ends another's session", operator, operator.label(), "terminate someone else's session", "ssm:TerminateSession",
                "arn:aws:ssm:" + REGION + ":" + ACCOUNT + ":session/AROAOTHERPERSON:bob-0a1b2c3d", Map.of("aws:userid", "AROAOPERATOR:ana"),
                null, true, false, null, null, false);
        add(p + "operator ends own session", operator, operator.label(), "terminate their own session", "ssm:TerminateSession",
                "arn:aws:ssm:" + REGION + ":" + ACCOUNT + ":session/AROAOPERATOR:ana-0a1b2c3d", Map.of("aws:userid", "AROAOPERATOR:ana"),
                null, true, true, null, null, false);
        Map<String, Object> anaSecret = Map.of("aws:PrincipalTag/AirflowUser", "ana", "aws:ResourceTag/AirflowUser", "ana",
                "aws:ResourceTag/Project", "dataplat", "aws:ResourceTag/Environment", env);
        // dev's fixture has the Airflow user "ana"; prod's has none (any secret so tagged).
        String userSecret = env.equals("dev") ? secretArn(d, scheduler, "SecretsUserana")
                : "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:dataplat-prod-scheduler-SecretsUserana-AbCdEf";
        add(p + "operator own Airflow password", operator, operator.label(), "read their own Airflow user's password", "secretsmanager:GetSecretValue",
                userSecret, anaSecret, null, true, true, null, null, true);
        add(p + "operator other's Airflow password", operator, operator.label(), "read another person's Airflow password", "secretsmanager:GetSecretValue",
                userSecret, Map.of("aws:PrincipalTag/AirflowUser", "bob", "aws:ResourceTag/AirflowUser", "ana",
                        "aws:ResourceTag/Project", "dataplat", "aws:ResourceTag/Environment", env), null, true, false, null, null, true);
        add(p + "operator admin password", operator, operator.label(), "read the break-glass admin password", "secretsmanager:GetSecretValue",
                secretArn(d, scheduler, "SecretsAdminPassword"), Map.of("aws:PrincipalTag/AirflowUser", "ana",
                        "aws:ResourceTag/Project", "dataplat", "aws:ResourceTag/Environment", env), null, true, false, null, null, true);
        String sessionKey = d.attribute(scheduler, d.logicalId(scheduler, "AWS::KMS::Key", "OperatorsSessionKey"), "Arn");
        Map<String, Object> sessionKeyPolicy = map(d.resolve(scheduler, map(d.resources(scheduler, "AWS::KMS::Key")
                .get(d.logicalId(scheduler, "AWS::KMS::Key", "OperatorsSessionKey")).get("Properties")).get("KeyPolicy")));
        add(p + "host decrypts sessions", host, "decrypt session data with the session key (SSM agent)", "kms:Decrypt", sessionKey,
                Map.of(), sessionKeyPolicy, true, null, null, false);
        add(p + "operator encrypts session", operator, operator.label(), "encrypt their session's data", "kms:GenerateDataKey",
                sessionKey, Map.of(), sessionKeyPolicy, false, true, null, null, false);
        add(p + "airflow task decrypts sessions", airflow, "decrypt operators' session data", "kms:Decrypt", sessionKey,
                Map.of(), sessionKeyPolicy, false, null, null, false);
        String transcripts = d.attribute(scheduler, d.logicalId(scheduler, "AWS::Logs::LogGroup", "OperatorsTranscripts"), "Arn");
        add(p + "host streams transcripts", host, "stream a session transcript (SSM agent)", "logs:PutLogEvents",
                transcripts.replaceAll(":\\*$", "") + ":log-stream:ana-0a1b2c3d", Map.of(), null, true, null, null, false);

        // Analysts (whoever gets the query stack's managed policy): the curated zone through the workgroup.
        String query = "dataplat-" + env + "-query";
        Principal analyst = Principal.managedPolicy(d, "analysts (AnalystPolicy)", query, "AnalystsPolicy",
                "arn:aws:iam::" + ACCOUNT + ":role/analyst");
        String athena = "arn:aws:athena:" + REGION + ":" + ACCOUNT + ":workgroup/";
        String glue = "arn:aws:glue:" + REGION + ":" + ACCOUNT + ":";
        String database = "dataplat_" + env + "_curated";
        String otherDatabase = "dataplat_" + other + "_curated";
        String results = bucketArn(d, query, "AthenaResultsBucket");
        add(p + "analyst query workgroup", analyst, "run a query in the environment's workgroup",
                "athena:StartQueryExecution", athena + "dataplat-" + env + "-analytics", Map.of(), null, true, null, null, true);
        add(p + "analyst read results", analyst, "read a query's results",
                "athena:GetQueryResults", athena + "dataplat-" + env + "-analytics", Map.of(), null, true, null, null, false);
        add(p + "analyst query primary", analyst, "run a query in another workgroup (primary: no cutoff, no enforced settings)",
                "athena:StartQueryExecution", athena + "primary", Map.of(), null, false, null, null, true);
        add(p + "analyst query other environment", analyst, "run a query in the other environment's workgroup",
                "athena:StartQueryExecution", athena + "dataplat-" + other + "-analytics", Map.of(), null, false, null, null, false);
        add(p + "analyst table definition", analyst, "read a curated table's definition (Glue)",
                "glue:GetTable", glue + "table/" + database + "/vendas_por_vendedor", Map.of(), null, true, null, null, true);
        add(p + "analyst database definition", analyst, "read the curated database's definition (Glue)",
                "glue:GetDatabase", glue + "database/" + database, Map.of(), null, true, null, null, false);
        add(p + "analyst other database", analyst, "read a table of another database",
                "glue:GetTable", glue + "table/" + otherDatabase + "/vendas_por_vendedor", Map.of(), null, false, null, null, false);
        add(p + "analyst delete table", analyst, "delete a curated table",
                "glue:DeleteTable", glue + "table/" + database + "/vendas_por_vendedor", Map.of(), null, false, null, null, true);
        add(p + "analyst read curated", analyst, "read curated Parquet (the query's data)",
                "s3:GetObject", curated + "/vendas_por_vendedor/run_date=2025-09-01/part-0000.parquet", Map.of(), null, true,
                null, null, true);
        add(p + "analyst write curated", analyst, "write into the curated zone",
                "s3:PutObject", curated + "/vendas_por_vendedor/run_date=2025-09-01/x.parquet", Map.of(), null, false, null, null, true);
        add(p + "analyst read raw", analyst, "read the raw zone",
                "s3:GetObject", raw + "/samples/vendas/data_venda=2025-09-01/dados_vendas.csv", Map.of(), null, false, null, null, true);
        add(p + "analyst write results", analyst, "write query results (Athena writes them with the caller's credentials)",
                "s3:PutObject", results + "/athena/0f1e2d3c.csv", Map.of(), null, true, null, null, true);
        add(p + "analyst list workgroups", analyst, "list workgroups (the console's workgroup picker)",
                "athena:ListWorkGroups", "*", Map.of(), null, true, null, null, false);
        add(p + "analyst table metadata", analyst, "browse table metadata in the console (AwsDataCatalog)",
                "athena:GetTableMetadata", "arn:aws:athena:" + REGION + ":" + ACCOUNT + ":datacatalog/AwsDataCatalog",
                Map.of(), null, true, null, null, false);
        add(p + "analyst table partitions", analyst, "read a curated table's partitions (Glue)",
                "glue:GetPartitions", glue + "table/" + database + "/vendas_por_vendedor", Map.of(), null, true, null, null, false);
        add(p + "analyst list curated", analyst, "list the curated bucket (Athena lists a partition's files)",
                "s3:ListBucket", curated, Map.of("s3:prefix", "vendas_por_vendedor/run_date=2025-09-01/"), null, true,
                null, null, false);
        add(p + "analyst list results", analyst, "list the results bucket",
                "s3:ListBucket", results, Map.of("s3:prefix", "athena/"), null, true, null, null, false);
        add(p + "analyst read results object", analyst, "read a result file (GetQueryResults, downloads)",
                "s3:GetObject", results + "/athena/0f1e2d3c.csv", Map.of(), null, true, null, null, false);
        add(p + "analyst write results bucket elsewhere", analyst, "write elsewhere in the results bucket",
                "s3:PutObject", results + "/other/x.csv", Map.of(), null, false, null, null, false);
        // Nothing on EMR reads the catalog (Athena projects the partitions): the nodes get no Glue access.
        add(p + "nodes catalog", nodes, "read the curated catalog (nothing on the cluster needs it)",
                "glue:GetTable", glue + "table/" + database + "/vendas_por_vendedor", Map.of(), null, false, null, null, true);

        // EMR service role: launching the nodes.
        add(p + "service passes nodes role", service, "pass the nodes' role to EC2 when it launches instances",
                "iam:PassRole", nodesRole, Map.of("iam:PassedToService", "ec2.amazonaws.com"), null, true, null, null, true);
        add(p + "service passes nodes role to lambda", service, "pass the nodes' role to another service",
                "iam:PassRole", nodesRole, Map.of("iam:PassedToService", "lambda.amazonaws.com"), null, false, null, null, false);
        add(p + "service grants for EBS", service, "create a KMS grant for EBS encryption",
                "kms:CreateGrant", diskKey, Map.of("kms:GrantIsForAWSResource", "true"), keyPolicy, true, null, null, false);
        add(p + "service grants for itself", service, "create a KMS grant for a non-AWS principal",
                "kms:CreateGrant", diskKey, Map.of("kms:GrantIsForAWSResource", "false"), keyPolicy, false, null, null, false);

        // The cluster guard Lambda.
        String topic = d.ref(monitoring, d.logicalId(monitoring, "AWS::SNS::Topic", "AlarmTopic"));
        add(p + "guard ListClusters", guard, "list clusters", "elasticmapreduce:ListClusters", "*", Map.of(), null, true,
                GUARD, ".listClusters(", false);
        add(p + "guard terminates own", guard, "terminate a cluster of this environment",
                "elasticmapreduce:TerminateJobFlows", cluster, ourCluster, null, true, GUARD, ".terminateJobFlows(", true);
        add(p + "guard terminates other environment", guard, "terminate the other environment's cluster",
                "elasticmapreduce:TerminateJobFlows", cluster, Map.of("aws:ResourceTag/Project", "dataplat",
                        "aws:ResourceTag/Environment", other), null, false, null, null, true);
        add(p + "guard publishes", guard, "publish its summary to the alarm topic", "sns:Publish", topic, Map.of(), null, true,
                GUARD_RUN, "sns.publish(", false);
        add(p + "guard puts its metric", guard, "put ClustersTerminated into its namespace", "cloudwatch:PutMetricData", "*",
                Map.of("cloudwatch:namespace", "DataPlatform/dataplat-" + env + "/ClusterGuard"), null, true, GUARD_RUN, "putMetricData", false);
        add(p + "guard puts foreign metric", guard, "put metrics into another namespace", "cloudwatch:PutMetricData", "*",
                Map.of("cloudwatch:namespace", "AWS/EC2"), null, false, null, null, false);
    }

    private static void callsOfDelivery() {
        Map<String, Object> platform = Json.with(Fixture.platform(), "delivery.githubRepository", REPOSITORY);
        Synth.Synthesized synthesized = Synth.of(platform, "dev");
        Map<String, Map<String, Object>> templates = new LinkedHashMap<>();
        synthesized.platform().delivery().ifPresent(s -> templates.put(s.getStackName(), synthesized.template(s).toJSON()));
        FakeDeployment d = new FakeDeployment(templates);
        String stack = "dataplat-delivery";
        Principal deploy = Principal.role(d, "GitHub deploy role (prod)", stack, "DeployRoleProd");
        Principal deployDev = Principal.role(d, "GitHub deploy role (dev)", stack, "DeployRoleDev");
        Principal diff = Principal.role(d, "GitHub diff role", stack, "DiffRole");
        String provider = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com";
        String bootstrap = "arn:aws:iam::" + ACCOUNT + ":role/cdk-hnb659fds-";
        // Subjects as GitHub issues them with the repository's subject template repo, context, job_workflow_ref.
        String repo = "repo:" + REPOSITORY;
        String deployOnMain = ":job_workflow_ref:" + REPOSITORY + "/.github/workflows/deploy.yml@refs/heads/main";
        String prodStack = "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":stack/dataplat-prod-datalake/0a1b2c3d";
        String devStack = "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":stack/dataplat-dev-datalake/0a1b2c3d";
        add("delivery main branch deploys prod", null, "GitHub deploy role (prod)", "the deploy workflow on main in the prod environment assumes it",
                "sts:AssumeRoleWithWebIdentity", deploy.arn(), github(repo + ":environment:prod" + deployOnMain, provider),
                deploy.trustPolicy(), true, true, DEPLOY_WORKFLOW, "environment: prod", true);
        add("delivery main branch deploys dev", null, "GitHub deploy role (dev)", "the deploy workflow on main in the dev environment assumes it",
                "sts:AssumeRoleWithWebIdentity", deployDev.arn(), github(repo + ":environment:dev" + deployOnMain, provider),
                deployDev.trustPolicy(), true, true, DEPLOY_WORKFLOW, "environment: dev", true);
        add("delivery dev job takes prod role", null, "GitHub deploy role (prod)", "a job in the dev environment (no reviewers) assumes it",
                "sts:AssumeRoleWithWebIdentity", deploy.arn(), github(repo + ":environment:dev" + deployOnMain, provider),
                deploy.trustPolicy(), true, false, null, null, true);
        add("delivery other workflow naming prod", null, "GitHub deploy role (prod)", "another workflow of main naming the prod environment assumes it",
                "sts:AssumeRoleWithWebIdentity", deploy.arn(), github(repo + ":environment:prod:job_workflow_ref:" + REPOSITORY
                        + "/.github/workflows/other.yml@refs/heads/main", provider), deploy.trustPolicy(), true, false, null, null, true);
        add("delivery feature branch naming prod", null, "GitHub deploy role (prod)", "the deploy workflow of a feature branch naming prod assumes it",
                "sts:AssumeRoleWithWebIdentity", deploy.arn(), github(repo + ":environment:prod:job_workflow_ref:" + REPOSITORY
                        + "/.github/workflows/deploy.yml@refs/heads/feature-x", provider), deploy.trustPolicy(), true, false, null, null, true);
        add("delivery default subject naming prod", null, "GitHub deploy role (prod)",
                "a job naming prod with GitHub's default subject (no workflow in it) assumes it",
                "sts:AssumeRoleWithWebIdentity", deploy.arn(), github(repo + ":environment:prod", provider),
                deploy.trustPolicy(), true, false, null, null, true);
        add("delivery previous subject template naming prod", null, "GitHub deploy role (prod)",
                "a job with the subject template repo, context, ref (no workflow) assumes it",
                "sts:AssumeRoleWithWebIdentity", deploy.arn(), github(repo + ":environment:prod:ref:refs/heads/main", provider),
                deploy.trustPolicy(), true, false, null, null, false);
        add("delivery other repository", null, "GitHub deploy role (prod)", "a job of another repository assumes it",
                "sts:AssumeRoleWithWebIdentity", deploy.arn(), github("repo:someone/fork:environment:prod:job_workflow_ref:someone/fork"
                        + "/.github/workflows/deploy.yml@refs/heads/main", provider), deploy.trustPolicy(), true, false, null, null, true);
        add("delivery pull request deploy role", null, "GitHub deploy role (prod)", "a pull-request job assumes it",
                "sts:AssumeRoleWithWebIdentity", deploy.arn(), github(repo + ":pull_request:job_workflow_ref:" + REPOSITORY
                        + "/.github/workflows/pull-request.yml@refs/pull/42/merge", provider), deploy.trustPolicy(), true, false, null, null, true);
        add("delivery wrong audience", null, "GitHub deploy role (prod)", "a token for another audience",
                "sts:AssumeRoleWithWebIdentity", deploy.arn(), Map.of("_principal", provider,
                        "token.actions.githubusercontent.com:aud", "https://example.com",
                        "token.actions.githubusercontent.com:sub", repo + ":environment:prod" + deployOnMain),
                deploy.trustPolicy(), true, false, null, null, false);
        add("delivery pull request diff role", null, "GitHub diff role", "a pull-request job of the pull-request workflow assumes it",
                "sts:AssumeRoleWithWebIdentity", diff.arn(), github(repo + ":pull_request:job_workflow_ref:" + REPOSITORY
                        + "/.github/workflows/pull-request.yml@refs/pull/42/merge", provider), diff.trustPolicy(), true, true,
                PR_WORKFLOW, "role-to-assume", true);
        add("delivery main branch diff role", null, "GitHub diff role", "a job of main assumes it",
                "sts:AssumeRoleWithWebIdentity", diff.arn(), github(repo + ":environment:prod" + deployOnMain, provider),
                diff.trustPolicy(), true, false, null, null, false);
        // What the deploy roles can change: their own environment's stacks, through CloudFormation only.
        add("delivery prod deploys prod stack", deploy, "create a change set of a prod stack (cdk deploy)", "cloudformation:CreateChangeSet",
                prodStack, Map.of(), null, true, DEPLOY_WORKFLOW, "cdk deploy --all -c env=prod", true);
        add("delivery dev deploys dev stack", deployDev, "create a change set of a dev stack (cdk deploy)", "cloudformation:CreateChangeSet",
                devStack, Map.of(), null, true, DEPLOY_WORKFLOW, "cdk deploy --all -c env=dev", true);
        add("delivery dev deploys prod stack", deployDev, "create or execute a change set of a prod stack", "cloudformation:ExecuteChangeSet",
                prodStack, Map.of(), null, false, null, null, true);
        add("delivery dev deploys prod-like environment", deployDev, "change a stack of an environment whose name starts with dev",
                "cloudformation:CreateChangeSet", "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":stack/dataplat-dev-eu-network/0a1b",
                Map.of(), null, false, null, null, false);
        add("delivery deploy passes exec role", deploy, "pass the CDK execution role to CloudFormation (the change set's RoleARN)",
                "iam:PassRole", bootstrap + "cfn-exec-role-" + ACCOUNT + "-" + REGION,
                Map.of("iam:PassedToService", "cloudformation.amazonaws.com"), null, true, null, null, false);
        add("delivery deploy passes exec role elsewhere", deploy, "pass the CDK execution role to another service",
                "iam:PassRole", bootstrap + "cfn-exec-role-" + ACCOUNT + "-" + REGION,
                Map.of("iam:PassedToService", "lambda.amazonaws.com"), null, false, null, null, false);
        add("delivery deploy publishes assets", deploy, "upload an asset to the CDK bootstrap bucket",
                "s3:PutObject", "arn:aws:s3:::cdk-hnb659fds-assets-" + ACCOUNT + "-" + REGION + "/0f1e2d.zip", Map.of(), null, true,
                null, null, false);
        add("delivery deploy reads bootstrap version", deploy, "read the CDK bootstrap version",
                "ssm:GetParameters", "arn:aws:ssm:" + REGION + ":" + ACCOUNT + ":parameter/cdk-bootstrap/hnb659fds/version",
                Map.of(), null, true, null, null, false);
        add("delivery deploy assumes bootstrap deploy role", deploy, "assume the CDK bootstrap deploy role (changes any stack of the account)",
                "sts:AssumeRole", bootstrap + "deploy-role-" + ACCOUNT + "-" + REGION, Map.of(), null, false, null, null, true);
        add("delivery deploy assumes lookup role", deploy, "assume the CDK lookup role (read-only: lookups, bin/platform-check)",
                "sts:AssumeRole", bootstrap + "lookup-role-" + ACCOUNT + "-" + REGION, Map.of(), null, true, DEPLOY_WORKFLOW,
                "lookup-role", false);
        add("delivery deploy assumes exec role", deploy, "assume the CloudFormation execution role directly", "sts:AssumeRole",
                bootstrap + "cfn-exec-role-" + ACCOUNT + "-" + REGION, Map.of(), null, false, null, null, true);
        add("delivery deploy assumes admin", deploy, "assume any other role", "sts:AssumeRole",
                "arn:aws:iam::" + ACCOUNT + ":role/Admin", Map.of(), null, false, null, null, false);
        // The diff role: a pull request's own code runs with it before review.
        add("delivery diff reads template", diff, "read a deployed template (cdk diff)", "cloudformation:GetTemplate",
                prodStack, Map.of(), null, true, PR_WORKFLOW, "cdk diff", true);
        add("delivery diff changes stack", diff, "create a change set", "cloudformation:CreateChangeSet",
                devStack, Map.of(), null, false, null, null, false);
        add("delivery diff assumes lookup role", diff, "assume the CDK lookup role (ReadOnlyAccess: every S3 object of the account)",
                "sts:AssumeRole", bootstrap + "lookup-role-" + ACCOUNT + "-" + REGION, Map.of(), null, false, null, null, true);
        add("delivery diff assumes deploy role", diff, "assume the CDK deploy role", "sts:AssumeRole",
                bootstrap + "deploy-role-" + ACCOUNT + "-" + REGION, Map.of(), null, false, null, null, true);
        add("delivery diff reads data", diff, "read an object of the account (the lake)", "s3:GetObject",
                "arn:aws:s3:::dataplat-prod-datalake-rawbucket0a1b/samples/x.csv", Map.of(), null, false, null, null, true);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void add(String id, Principal principal, String what, String action, String resource, Map<String, Object> context,
                            Map<String, Object> resourcePolicy, boolean allowed, Path source, String sourceText, boolean readme) {
        CALLS.add(new Call(id, principal.label(), what, principal, action, resource, context, resourcePolicy, false, allowed,
                source, sourceText, readme));
    }

    private static void add(String id, Principal principal, String who, String what, String action, String resource,
                            Map<String, Object> context, Map<String, Object> resourcePolicy, boolean unvalidated, boolean allowed,
                            Path source, String sourceText, boolean readme) {
        CALLS.add(new Call(id, who, what, principal, action, resource, context, resourcePolicy, unvalidated, allowed,
                source, sourceText, readme));
    }

    private static Map<String, Object> github(String subject, String provider) {
        return Map.of("_principal", provider, "token.actions.githubusercontent.com:aud", "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub", subject);
    }

    private static Map<String, Object> request(String id, List<List<Map<String, Object>>> policySets, String principal, String action,
                                               String resource, Map<String, Object> context) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", id);
        request.put("identityPolicies", policySets.stream().flatMap(List::stream).toList());
        request.put("principal", principal);
        request.put("action", action);
        request.put("resource", resource);
        request.put("accountId", ACCOUNT);
        request.put("context", context);
        return request;
    }

    static FakeDeployment deployment(Synth.Synthesized synthesized) {
        Map<String, Map<String, Object>> templates = new LinkedHashMap<>();
        for (PlatformStack stack : synthesized.platform().stacks()) {
            templates.put(stack.getStackName(), synthesized.template(stack).toJSON());
        }
        return new FakeDeployment(templates);
    }

    private static String bucketArn(FakeDeployment d, String stack, String prefix) {
        return d.attribute(stack, d.logicalId(stack, "AWS::S3::Bucket", prefix), "Arn");
    }

    /** The bucket policy of bucket {@code stack}/{@code prefix}*, resolved. */
    private static Map<String, Object> bucketPolicy(FakeDeployment d, String stack, String prefix) {
        String bucket = d.logicalId(stack, "AWS::S3::Bucket", prefix);
        return d.resources(stack, "AWS::S3::BucketPolicy").values().stream()
                .map(r -> map(r.get("Properties")))
                .filter(props -> Map.of("Ref", bucket).equals(props.get("Bucket")))
                .map(props -> map(d.resolve(stack, props.get("PolicyDocument"))))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(stack + ": no policy for " + bucket));
    }

    private static String roleArn(FakeDeployment d, String stack, String prefix) {
        return d.attribute(stack, d.logicalId(stack, "AWS::IAM::Role", prefix), "Arn");
    }

    private static String secretArn(FakeDeployment d, String stack, String prefix) {
        return d.ref(stack, d.logicalId(stack, "AWS::SecretsManager::Secret", prefix));
    }
}

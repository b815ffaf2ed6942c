package io.dataplatform.scheduler;

import io.dataplatform.config.PlatformConfig;
import io.dataplatform.core.InstanceRoles;
import io.dataplatform.core.NagChecks;
import io.dataplatform.core.PlatformStack;
import io.dataplatform.datalake.DataLakeBuckets;
import io.dataplatform.emr.EmrResources;
import io.dataplatform.emr.EmrRoles;
import io.dataplatform.network.NetworkStack;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * The Airflow host's two roles. The instance role (root's: bootstrap, DAG sync, CloudWatch agent, Session
 * Manager) reads its own secrets, stores the generated keys once, syncs artifacts/dags/ and takes its data
 * volume over on replacement. Airflow's components and every task run without it (the units block the
 * instance metadata service): they use the task role, which the bootstrap assumes for them and which can do
 * only what DAGs need: remote task logs under logs/airflow/, sensors on raw, the EMR calls of the DAGs (on this
 * environment's tagged clusters only) and PassRole of each EMR role only to the service that assumes it.
 */
public final class AirflowRole extends Construct {
    public static final String LOG_PREFIX = "airflow/";
    /** Tag that marks the Airflow instance (and the instances it replaced) of a stack. */
    public static final String INSTANCE_ROLE_TAG = "DataPlatformRole";
    public static final String INSTANCE_ROLE_VALUE = "airflow-scheduler";
    static final String DAGS_PREFIX = "dags/";
    /** Finding detail of statements on the objects of a data-lake bucket (ARN from the datalake stack). */
    static final String DATA_LAKE_OBJECTS = "Resource::.+(Raw|Artifacts|Logs)Bucket.+/(airflow/|dags/)?\\*";

    private final Role role;
    private final Role taskRole;

    public AirflowRole(Construct scope, String id, PlatformConfig config, DataLakeBuckets buckets, EmrResources emr,
                       AirflowSecrets secrets) {
        super(scope, id);
        Stack stack = Stack.of(this);
        role = InstanceRoles.ec2Role(this, "Role", "Airflow scheduler instance (root): bootstrap, DAG sync, agent, data volume");
        // Trusted by the instance role alone; role chaining limits its sessions to one hour, which the bootstrap's
        // refresh timer renews every 15 minutes.
        taskRole = Role.Builder.create(this, "TaskRole")
                .description("Airflow components and tasks (DAGs): task logs, raw sensors, this environment's EMR clusters")
                .assumedBy(new ArnPrincipal(role.getRoleArn()))
                .build();
        role.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("ProvideTaskCredentials")
                .actions(List.of("sts:AssumeRole")).resources(List.of(taskRole.getRoleArn())).build());

        add(role, "SyncDags", List.of("s3:GetObject"), buckets.artifacts().arnForObjects(DAGS_PREFIX + "*"));
        add(role, "ListDags", List.of("s3:ListBucket"), buckets.artifacts().getBucketArn(),
                Map.of("StringLike", Map.of("s3:prefix", List.of(DAGS_PREFIX, DAGS_PREFIX + "*"))));
        NagChecks.acknowledgeMatching(role, "AwsSolutions-IAM5", DATA_LAKE_OBJECTS,
                "Object-level S3 actions need bucket ARN + /*: DAG sync reads artifacts/dags/ only.");
        add(taskRole, "WriteTaskLogs", List.of("s3:GetObject", "s3:PutObject"), buckets.logs().arnForObjects(LOG_PREFIX + "*"));
        add(taskRole, "ListTaskLogs", List.of("s3:ListBucket"), buckets.logs().getBucketArn(),
                Map.of("StringLike", Map.of("s3:prefix", List.of(LOG_PREFIX, LOG_PREFIX + "*"))));
        add(taskRole, "SenseRawObjects", List.of("s3:GetObject"), buckets.raw().arnForObjects("*"));
        add(taskRole, "SenseRawBucket", List.of("s3:ListBucket"), buckets.raw().getBucketArn());
        NagChecks.acknowledgeMatching(taskRole, "AwsSolutions-IAM5", DATA_LAKE_OBJECTS,
                "Object-level S3 actions need bucket ARN + /*: task logs go to logs/airflow/ only, sensors read raw.");

        List<String> ownSecrets = new java.util.ArrayList<>(List.of(secrets.admin().getSecretArn(), secrets.keys().getSecretArn()));
        secrets.users().values().forEach(user -> ownSecrets.add(user.getSecretArn()));
        role.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("ReadOwnSecrets")
                .actions(List.of("secretsmanager:GetSecretValue")).resources(ownSecrets).build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("StoreGeneratedKeysOnce")
                .actions(List.of("secretsmanager:PutSecretValue"))
                .resources(List.of(secrets.keys().getSecretArn())).build());

        String clusters = Arn.format(ArnComponents.builder().service("elasticmapreduce").resource("cluster")
                .resourceName("*").build(), stack);
        // Clusters are this environment's only by its Project and Environment tags: the managed-policy tag is
        // on every cluster made with AWS's v2 EMR policies (another environment's, another team's). The role
        // cannot tag or untag clusters (no AddTags/RemoveTags: EMR takes RunJobFlow's tags with RunJobFlow
        // alone), so it cannot make another cluster look like one of its own.
        Map<String, Object> ownRequestTags = Map.of(
                "aws:RequestTag/" + NetworkStack.EMR_MANAGED_TAG, "true",
                "aws:RequestTag/" + PlatformStack.TAG_PROJECT, config.project(),
                "aws:RequestTag/" + PlatformStack.TAG_ENVIRONMENT, config.envName());
        Map<String, Object> ownResourceTags = Map.of(
                "aws:ResourceTag/" + NetworkStack.EMR_MANAGED_TAG, "true",
                "aws:ResourceTag/" + PlatformStack.TAG_PROJECT, config.project(),
                "aws:ResourceTag/" + PlatformStack.TAG_ENVIRONMENT, config.envName());
        // RunJobFlow has no resource type: IAM matches it only with Resource "*", so the request's tags are
        // what scope it (as in AWS's AmazonEMRFullAccessPolicy_v2, plus this environment's tags).
        add(taskRole, "CreateOwnTaggedClusters", List.of("elasticmapreduce:RunJobFlow"), "*", Map.of("StringEquals", ownRequestTags));
        NagChecks.acknowledge(taskRole, "AwsSolutions-IAM5[Resource::*]",
                "elasticmapreduce:RunJobFlow supports no resource type (Resource must be *): it is allowed only with the "
                        + "for-use-with-amazon-emr-managed-policies=true, Project and Environment tags of this environment.");
        add(taskRole, "RunStepsOnOwnClusters", List.of("elasticmapreduce:AddJobFlowSteps", "elasticmapreduce:DescribeStep",
                        "elasticmapreduce:DescribeCluster", "elasticmapreduce:ListSteps", "elasticmapreduce:TerminateJobFlows"),
                clusters, Map.of("StringEquals", ownResourceTags));
        NagChecks.acknowledgeMatching(taskRole, "AwsSolutions-IAM5", "Resource::arn:.+:elasticmapreduce:.+:cluster/\\*",
                "Cluster ids do not exist before the DAG runs; every EMR action is limited to clusters carrying this "
                        + "environment's Project and Environment tags and the managed-policy tag.");
        // RunJobFlow passes each role to the service that assumes it, as AmazonEMRFullAccessPolicy_v2 allows
        // for the default roles: the service role to EMR, the nodes' role to EC2, auto scaling to its service.
        taskRole.addToPrincipalPolicy(EmrRoles.passRole(emr.serviceRole(), "elasticmapreduce.amazonaws.com", "PassEmrServiceRole"));
        taskRole.addToPrincipalPolicy(EmrRoles.passRole(emr.ec2Role(), "ec2.amazonaws.com", "PassEmrNodesRole"));
        taskRole.addToPrincipalPolicy(EmrRoles.passRole(emr.autoScalingRole(), "application-autoscaling.amazonaws.com",
                "PassEmrAutoScalingRole"));
        // EMR creates its cleanup service-linked role on an account's first cluster.
        taskRole.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("CreateEmrCleanupServiceLinkedRole")
                .actions(List.of("iam:CreateServiceLinkedRole"))
                .resources(List.of("arn:" + Aws.PARTITION + ":iam::" + Aws.ACCOUNT_ID
                        + ":role/aws-service-role/elasticmapreduce.amazonaws.com*/AWSServiceRoleForEMRCleanup*"))
                .conditions(Map.of("StringEquals", Map.of("iam:AWSServiceName",
                        List.of("elasticmapreduce.amazonaws.com", "elasticmapreduce.amazonaws.com.cn"))))
                .build());
        NagChecks.acknowledgeMatching(taskRole, "AwsSolutions-IAM5",
                "Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/aws-service-role/elasticmapreduce\\.amazonaws\\.com\\*/AWSServiceRoleForEMRCleanup\\*",
                "The service-linked role's path ends in the partition's EMR service name (.com or .com.cn); only "
                        + "EMR's cleanup role can be created, and only for EMR (iam:AWSServiceName).");
    }

    /** The RDS master secret, when the metadata database runs in RDS. */
    public void allowReadingDatabaseSecret(ISecret secret) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("ReadDatabaseSecret")
                .actions(List.of("secretsmanager:GetSecretValue")).resources(List.of(secret.getSecretArn())).build());
    }

    /**
     * Lets a new instance take the data volume over from the instance it replaces: only its own
     * volume, and only instances of this stack tagged as its Airflow instance.
     */
    public void allowDataVolumeTakeover(String dataVolumeId) {
        Stack stack = Stack.of(this);
        String volume = Arn.format(ArnComponents.builder().service("ec2").resource("volume").resourceName(dataVolumeId).build(), stack);
        String instances = Arn.format(ArnComponents.builder().service("ec2").resource("instance").resourceName("*").build(), stack);
        add(role, "AttachOwnDataVolume", List.of("ec2:AttachVolume", "ec2:DetachVolume"), volume);
        // StartInstances: a replacement that fails hands the volume back and starts the previous instance.
        add(role, "TakeVolumeOverFromReplacedInstance", List.of("ec2:AttachVolume", "ec2:DetachVolume", "ec2:StopInstances",
                        "ec2:StartInstances"), instances,
                Map.of("StringEquals", Map.of(
                        "aws:ResourceTag/aws:cloudformation:stack-name", stack.getStackName(),
                        "aws:ResourceTag/" + INSTANCE_ROLE_TAG, INSTANCE_ROLE_VALUE)));
        add(role, "DescribeVolumeAttachments", List.of("ec2:DescribeVolumes", "ec2:DescribeInstances"), "*");
        NagChecks.acknowledgeMatching(role, "AwsSolutions-IAM5", "Resource::arn:.+:ec2:.+:instance/\\*",
                "Only this stack's Airflow instances (stack-name and DataPlatformRole tags) can be stopped, started or "
                        + "detached, to take the data volume over on replacement and hand it back if that fails.");
        NagChecks.acknowledge(role, "AwsSolutions-IAM5[Resource::*]",
                "ec2:DescribeVolumes and ec2:DescribeInstances support no resource-level permissions.");
    }


    /**
     * The CloudWatch agent of the instance (run by root): its own log group's streams and its own metric
     * namespace, nothing else (no retention changes, no other namespace).
     */
    public void allowCloudWatchAgent(LogGroup serviceLogs, String metricsNamespace) {
        add(role, "AgentLogStreams", List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
                serviceLogs.getLogGroupArn());
        add(role, "AgentMetricsInOwnNamespace", List.of("cloudwatch:PutMetricData"), "*",
                Map.of("StringEquals", Map.of("cloudwatch:namespace", metricsNamespace)));
        NagChecks.acknowledge(role, "AwsSolutions-IAM5[Resource::*]",
                "cloudwatch:PutMetricData supports no resource type; limited to the Airflow namespace by condition.");
    }

    private static void add(Role role, String sid, List<String> actions, String resource) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create().sid(sid).actions(actions).resources(List.of(resource)).build());
    }

    private static void add(Role role, String sid, List<String> actions, String resource, Map<String, Object> conditions) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create().sid(sid).actions(actions).resources(List.of(resource))
                .conditions(conditions).build());
    }

    /** The instance role (root's). */
    public Role role() {
        return role;
    }

    /** The role of Airflow's components and tasks. */
    public Role taskRole() {
        return taskRole;
    }
}

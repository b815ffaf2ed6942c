package io.dataplatform.emr;

import io.dataplatform.core.InstanceRoles;
import io.dataplatform.core.NagChecks;
import io.dataplatform.datalake.DataLakeBuckets;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.CompositePrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.InstanceProfile;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The three roles a cluster runs with, declared instead of {@code aws emr create-default-roles}:
 * the EMR service role (v2 managed policy plus the PassRole it needs for our non-default role
 * names), the EC2 job-flow role of the cluster nodes with its instance profile (least privilege
 * on our buckets, not AmazonElasticMapReduceforEC2Role), and the auto-scaling role.
 */
public final class EmrRoles extends Construct {
    /** Prefix of EMR cluster logs in the logs bucket. */
    public static final String LOG_PREFIX = "emr/";

    /** Finding detail of statements on the objects of a data-lake bucket (ARN from the datalake stack). */
    static final String DATA_LAKE_OBJECTS = "Resource::.+(Raw|Curated|Artifacts|Logs)Bucket.+/(emr/)?\\*";

    private final Role serviceRole;
    private final Role ec2Role;
    private final InstanceProfile instanceProfile;
    private final Role autoScalingRole;

    /**
     * @param nodesRoleName name of the EC2 job-flow role and of its instance profile: EMR rejects
     *                      an instance profile whose name differs from its role's ("invalid
     *                      instance profile"), so neither may be left to CloudFormation
     */
    public EmrRoles(Construct scope, String id, DataLakeBuckets buckets, String nodesRoleName) {
        super(scope, id);
        Map<String, Object> confusedDeputyGuard = Map.of(
                "StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID),
                "ArnLike", Map.of("aws:SourceArn",
                        "arn:" + Aws.PARTITION + ":elasticmapreduce:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":*"));

        serviceRole = Role.Builder.create(this, "ServiceRole")
                .description("EMR service role: provisions the cluster's EC2 resources (AmazonEMRServicePolicy_v2)")
                .assumedBy(new ServicePrincipal("elasticmapreduce.amazonaws.com").withConditions(confusedDeputyGuard))
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("service-role/AmazonEMRServicePolicy_v2")))
                .build();
        NagChecks.acknowledge(serviceRole, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2]",
                "AmazonEMRServicePolicy_v2 is AWS's scoped EMR service policy: it only acts on resources tagged "
                        + "for-use-with-amazon-emr-managed-policies=true, and AWS keeps it current with EMR's needs.");

        ec2Role = InstanceRoles.ec2Role(this, "Ec2Role",
                "EMR cluster nodes (EC2 job-flow role): data-lake access for Spark, logs, SSM, CloudWatch agent",
                nodesRoleName);
        grantRead(ec2Role, buckets.raw(), "ReadRaw");
        grantRead(ec2Role, buckets.artifacts(), "ReadArtifacts");
        grantReadWrite(ec2Role, buckets.curated());
        ec2Role.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("WriteClusterLogs")
                .actions(List.of("s3:PutObject"))
                .resources(List.of(buckets.logs().arnForObjects(LOG_PREFIX + "*"))).build());
        NagChecks.acknowledgeMatching(ec2Role, "AwsSolutions-IAM5", DATA_LAKE_OBJECTS,
                "Object-level S3 actions need the bucket ARN + /*: each statement names one data-lake bucket "
                        + "(logs: only the emr/ prefix) and lists its actions explicitly.");
        instanceProfile = InstanceProfile.Builder.create(this, "Ec2InstanceProfile").role(ec2Role)
                .instanceProfileName(nodesRoleName).build();

        autoScalingRole = Role.Builder.create(this, "AutoScalingRole")
                .description("EMR automatic scaling of instance groups (Application Auto Scaling)")
                .assumedBy(new CompositePrincipal(
                        new ServicePrincipal("application-autoscaling.amazonaws.com")
                                .withConditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID))),
                        new ServicePrincipal("elasticmapreduce.amazonaws.com").withConditions(confusedDeputyGuard)))
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("service-role/AmazonElasticMapReduceforAutoScalingRole")))
                .build();
        NagChecks.acknowledge(autoScalingRole,
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonElasticMapReduceforAutoScalingRole]",
                "The managed policy EMR documents for its auto-scaling role (CloudWatch alarms and instance-group resizing only).");

        // The v2 policy only passes the default role names: pass ours, each only to its service
        // (StringLike with a trailing *, as AWS's own policies do, so other partitions match too).
        serviceRole.addToPrincipalPolicy(passRole(ec2Role, "ec2.amazonaws.com", "PassEc2RoleToClusterNodes"));
        serviceRole.addToPrincipalPolicy(passRole(autoScalingRole, "application-autoscaling.amazonaws.com",
                "PassAutoScalingRole"));
    }

    /** {@code iam:PassRole} of one role to one service, in this and any other partition. */
    public static PolicyStatement passRole(IRole role, String service, String sid) {
        return PolicyStatement.Builder.create().sid(sid).effect(Effect.ALLOW)
                .actions(List.of("iam:PassRole"))
                .resources(List.of(role.getRoleArn()))
                .conditions(Map.of("StringLike", Map.of("iam:PassedToService", service + "*")))
                .build();
    }

    private static void grantRead(Role role, IBucket bucket, String sid) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create().sid(sid + "Objects")
                .actions(List.of("s3:GetObject")).resources(List.of(bucket.arnForObjects("*"))).build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create().sid(sid + "Bucket")
                .actions(List.of("s3:ListBucket", "s3:GetBucketLocation")).resources(List.of(bucket.getBucketArn())).build());
    }

    private static void grantReadWrite(Role role, IBucket bucket) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("ReadWriteCuratedObjects")
                .actions(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
                        "s3:ListMultipartUploadParts"))
                .resources(List.of(bucket.arnForObjects("*"))).build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("ReadWriteCuratedBucket")
                .actions(List.of("s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"))
                .resources(List.of(bucket.getBucketArn())).build());
    }

    public Role serviceRole() {
        return serviceRole;
    }

    public Role ec2Role() {
        return ec2Role;
    }

    public InstanceProfile instanceProfile() {
        return instanceProfile;
    }

    public Role autoScalingRole() {
        return autoScalingRole;
    }
}

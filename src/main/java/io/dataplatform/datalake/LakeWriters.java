package io.dataplatform.datalake;

import io.dataplatform.core.Naming;
import io.dataplatform.core.NagChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Who may write what runs: a DAG in {@code artifacts/dags/} runs on the Airflow host, a job in
 * {@code artifacts/jobs/} runs as the EMR nodes' role, raw input feeds both. The buckets' policies deny
 * writes and deletes there to everyone but the DAG authors' role, the role that ships the sample pipeline
 * and (where the environment is destroyed with its stacks) CDK's auto-delete handler, whatever their own
 * policies allow; and nobody deletes an object version of any data-lake bucket, so a mass delete leaves
 * noncurrent versions to restore until the lifecycle rules expire them.
 */
public final class LakeWriters extends Construct {
    private final Role dagAuthorRole;

    public LakeWriters(Construct scope, String id, Naming naming, DataLakeBuckets buckets) {
        super(scope, id);
        IBucket raw = buckets.raw();
        IBucket artifacts = buckets.artifacts();
        List<String> writableCode = List.of(artifacts.arnForObjects(SamplePrefixes.DAGS + "*"),
                artifacts.arnForObjects(SamplePrefixes.JOBS + "*"));

        // Trusted by the account: IAM administrators decide who may assume it (sts:AssumeRole in their policies).
        dagAuthorRole = Role.Builder.create(this, "DagAuthorRole")
                .roleName(naming.dagAuthorRoleName())
                .description("DAG authors: write DAGs (artifacts/dags/), Spark jobs (artifacts/jobs/) and raw input")
                .assumedBy(new AccountRootPrincipal())
                .build();
        List<String> authored = new ArrayList<>(writableCode);
        authored.add(raw.arnForObjects("*"));
        dagAuthorRole.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("WriteDagsJobsAndRawInput")
                .actions(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject")).resources(authored).build());
        dagAuthorRole.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("ListDagsAndJobs")
                .actions(List.of("s3:ListBucket")).resources(List.of(artifacts.getBucketArn()))
                .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(SamplePrefixes.DAGS + "*", SamplePrefixes.JOBS + "*"))))
                .build());
        dagAuthorRole.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("ListRawInput")
                .actions(List.of("s3:ListBucket")).resources(List.of(raw.getBucketArn())).build());
        NagChecks.acknowledgeMatching(dagAuthorRole, "AwsSolutions-IAM5", "Resource::<(Raw|Artifacts)Bucket.+\\.Arn>/(dags/|jobs/)?\\*",
                "Object-level S3 actions need bucket ARN + /*: only artifacts/dags/, artifacts/jobs/ and raw, the DAG authors' job.");

        Stack stack = Stack.of(this);
        List<String> writers = new ArrayList<>(List.of(dagAuthorRole.getRoleArn(),
                "arn:" + Aws.PARTITION + ":iam::" + Aws.ACCOUNT_ID + ":role/" + naming.pipelineDeployerRoleName()));
        String autoDelete = autoDeleteRoleArn(stack);
        if (autoDelete != null) {
            writers.add(autoDelete);
        }
        List<String> writes = List.of("s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion");
        Map<String, Object> othersThanWriters = Map.of("ArnNotEquals", Map.of("aws:PrincipalArn", writers));
        artifacts.addToResourcePolicy(PolicyStatement.Builder.create().sid("OnlyDagAuthorsWriteDagsAndJobs")
                .effect(Effect.DENY).principals(List.of(new AnyPrincipal())).actions(writes).resources(writableCode)
                .conditions(othersThanWriters).build());
        raw.addToResourcePolicy(PolicyStatement.Builder.create().sid("OnlyDagAuthorsWriteRawInput")
                .effect(Effect.DENY).principals(List.of(new AnyPrincipal())).actions(writes)
                .resources(List.of(raw.arnForObjects("*"))).conditions(othersThanWriters).build());

        for (IBucket bucket : List.of(raw, buckets.curated(), artifacts, buckets.logs())) {
            PolicyStatement.Builder keepVersions = PolicyStatement.Builder.create().sid("NobodyDeletesObjectVersions")
                    .effect(Effect.DENY).principals(List.of(new AnyPrincipal())).actions(List.of("s3:DeleteObjectVersion"))
                    .resources(List.of(bucket.arnForObjects("*")));
            if (autoDelete != null) {
                keepVersions.conditions(Map.of("ArnNotEquals", Map.of("aws:PrincipalArn", autoDelete)));
            }
            bucket.addToResourcePolicy(keepVersions.build());
        }
    }

    /** The role of CDK's auto-delete handler, present when the buckets are destroyed with the stack. */
    private static String autoDeleteRoleArn(Stack stack) {
        IConstruct provider = stack.getNode().tryFindChild("Custom::S3AutoDeleteObjectsCustomResourceProvider");
        if (provider == null) {
            return null;
        }
        return ((CfnResource) provider.getNode().findChild("Role")).getAtt("Arn").toString();
    }

    public Role dagAuthorRole() {
        return dagAuthorRole;
    }

    /** The prefixes of what runs, as the sample pipeline ships them. */
    static final class SamplePrefixes {
        static final String DAGS = "dags/";
        static final String JOBS = "jobs/";

        private SamplePrefixes() {
        }
    }
}

package io.dataplatform.emr;

import io.dataplatform.core.NagChecks;
import io.dataplatform.datalake.DataLakeBuckets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Ships the sample pipeline: the DAG to {@code artifacts/dags/}, the Spark job (driver and SQL) to
 * {@code artifacts/jobs/} and the sample CSVs, one folder per sale date, to
 * {@code raw/samples/vendas/data_venda=YYYY-MM-DD/}. Each deployment only
 * writes its own files under its own prefix and never prunes, so users' DAGs, jobs and data
 * next to them are never deleted; the files stay when the stack is deleted.
 */
public final class SamplePipeline extends Construct {
    /** Source folder of the pipeline files, relative to the project root. */
    public static final Path SOURCE = Path.of("src/main/resources/pipeline");
    public static final String DAGS_PREFIX = "dags/";
    public static final String JOBS_PREFIX = "jobs/";
    public static final String SAMPLES_PREFIX = "samples/";

    private final Role deployer;

    /**
     * @param deployerRoleName the handler's role name: the data-lake buckets' policies let only it (besides the
     *                         DAG authors) write DAGs, jobs and raw input
     */
    public SamplePipeline(Construct scope, String id, DataLakeBuckets buckets, String deployerRoleName) {
        super(scope, id);
        Stack stack = Stack.of(this);
        deployer = Role.Builder.create(this, "DeployerRole")
                .roleName(deployerRoleName)
                .description("Ships the sample pipeline's files during deployments (BucketDeployment handler)")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com").withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID))))
                .build();
        // Its own log group only (aws-cdk-lib names it /aws/lambda/<function>, the function's name starts with the stack's).
        String logGroups = Arn.format(ArnComponents.builder().service("logs").resource("log-group")
                .resourceName("/aws/lambda/" + stack.getStackName() + "-*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build(), stack);
        deployer.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("OwnLogs")
                .actions(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(logGroups, logGroups + ":log-stream:*")).build());
        // aws-cdk-lib grants the handler read/write and delete on each destination bucket; it only ever adds its own
        // files under its own prefixes (no prune, retained on delete), so it may do nothing more.
        deployer.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("NeverDeletes").effect(Effect.DENY)
                .actions(List.of("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectRetention", "s3:PutObjectLegalHold"))
                .resources(List.of("*")).build());
        deployer.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("WritesOnlyTheSamplePipeline").effect(Effect.DENY)
                .actions(List.of("s3:PutObject"))
                .notResources(List.of(buckets.artifacts().arnForObjects(DAGS_PREFIX + "*"),
                        buckets.artifacts().arnForObjects(JOBS_PREFIX + "*"), buckets.raw().arnForObjects(SAMPLES_PREFIX + "*")))
                .build());
        NagChecks.acknowledgeMatching(deployer, "AwsSolutions-IAM5", "Resource::arn:.+:logs:.+:log-group:/aws/lambda/.+",
                "The handler's log group is named after its generated function name: only /aws/lambda/<this stack>-*.");
        deploy("Dags", "dags", buckets.artifacts(), DAGS_PREFIX);
        deploy("Jobs", "jobs", buckets.artifacts(), JOBS_PREFIX);
        deploy("SampleData", "sample-data", buckets.raw(), SAMPLES_PREFIX);
        acknowledgeDeploymentHandler();
    }

    private void deploy(String id, String folder, IBucket bucket, String prefix) {
        BucketDeployment.Builder.create(this, id)
                .role(deployer)
                .sources(List.of(Source.asset(SOURCE.resolve(folder).toString())))
                .destinationBucket(bucket)
                .destinationKeyPrefix(prefix)
                .prune(false)
                .retainOnDelete(true)
                .extract(true)
                .build();
    }

    /** The one Lambda aws-cdk-lib creates for all BucketDeployments of a stack. */
    private void acknowledgeDeploymentHandler() {
        for (IConstruct node : Stack.of(this).getNode().getChildren()) {
            if (node.getNode().getId().startsWith("Custom::CDKBucketDeployment")) {
                NagChecks.acknowledge(node, "AwsSolutions-L1",
                        "aws-cdk-lib pins the runtime of its BucketDeployment handler (bundled AWS CLI layer); it runs only during deployments.");
                NagChecks.acknowledgeMatching(deployer, "AwsSolutions-IAM5",
                        "Action::s3:(GetBucket|GetObject|List|Abort|DeleteObject)\\*",
                        "aws-cdk-lib's BucketDeployment grants read on the CDK asset bucket and read/write on the "
                                + "destination bucket with these action groups; it runs only during deployments, and this role "
                                + "denies itself every delete and every write outside dags/, jobs/ and raw samples/.");
                NagChecks.acknowledgeMatching(deployer, "AwsSolutions-IAM5",
                        "Resource::(arn:.+:s3:::cdk-[a-z0-9]+-assets-.+|.+(Raw|Artifacts)Bucket.+)/\\*",
                        "The handler copies the pipeline files from the CDK asset bucket into the raw and artifacts buckets.");
            }
        }
    }
}

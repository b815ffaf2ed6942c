package io.dataplatform.emr;

import io.dataplatform.core.NagChecks;
import io.dataplatform.datalake.DataLakeBuckets;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.Stack;
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

    public SamplePipeline(Construct scope, String id, DataLakeBuckets buckets) {
        super(scope, id);
        deploy("Dags", "dags", buckets.artifacts(), DAGS_PREFIX);
        deploy("Jobs", "jobs", buckets.artifacts(), JOBS_PREFIX);
        deploy("SampleData", "sample-data", buckets.raw(), SAMPLES_PREFIX);
        acknowledgeDeploymentHandler();
    }

    private void deploy(String id, String folder, IBucket bucket, String prefix) {
        BucketDeployment.Builder.create(this, id)
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
                NagChecks.acknowledge(node,
                        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                        "aws-cdk-lib's BucketDeployment handler only writes its own logs with this policy.");
                NagChecks.acknowledgeMatching(node, "AwsSolutions-IAM5",
                        "Action::s3:(GetBucket|GetObject|List|Abort|DeleteObject)\\*",
                        "aws-cdk-lib's BucketDeployment grants read on the CDK asset bucket and read/write on the "
                                + "destination bucket with these action groups; it runs only during deployments.");
                NagChecks.acknowledgeMatching(node, "AwsSolutions-IAM5",
                        "Resource::(arn:.+:s3:::cdk-[a-z0-9]+-assets-.+|.+(Raw|Artifacts)Bucket.+)/\\*",
                        "The handler copies the pipeline files from the CDK asset bucket into the raw and artifacts buckets.");
            }
        }
    }
}

package io.dataplatform.query;

import io.dataplatform.core.NagChecks;
import java.util.List;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * A customer managed policy for analysts: run queries in this environment's workgroup (and only
 * there), read the curated database's table definitions, read the curated zone, and read and write
 * query results. Nothing else: no other workgroup, database, bucket or write to the lake. Attach it
 * to your analysts' role, group or IAM Identity Center permission set (output AnalystPolicyArn).
 */
public final class AnalystPolicy extends Construct {
    private final ManagedPolicy policy;

    public AnalystPolicy(Construct scope, String id, String name, QueryWorkgroup workgroup, String databaseName,
                         IBucket curated) {
        super(scope, id);
        String glue = "arn:" + Aws.PARTITION + ":glue:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
        String athenaCatalog = "arn:" + Aws.PARTITION + ":athena:" + Aws.REGION + ":" + Aws.ACCOUNT_ID
                + ":datacatalog/AwsDataCatalog";
        IBucket results = workgroup.results();
        policy = ManagedPolicy.Builder.create(this, "Policy")
                .managedPolicyName(name)
                .description("Query the curated zone through the " + workgroup.name() + " Athena workgroup")
                .statements(List.of(
                        statement("QueryInTheWorkgroup", List.of("athena:StartQueryExecution", "athena:StopQueryExecution",
                                "athena:GetQueryExecution", "athena:GetQueryResults", "athena:GetQueryResultsStream",
                                "athena:GetQueryRuntimeStatistics", "athena:BatchGetQueryExecution",
                                "athena:ListQueryExecutions", "athena:GetWorkGroup"), List.of(workgroup.arn())),
                        statement("BrowseTheDataCatalog", List.of("athena:GetDataCatalog", "athena:GetDatabase",
                                "athena:GetTableMetadata", "athena:ListTableMetadata"), List.of(athenaCatalog)),
                        statement("ListWorkgroups", List.of("athena:ListWorkGroups", "athena:ListEngineVersions"), List.of("*")),
                        statement("ReadCuratedTableDefinitions", List.of("glue:GetDatabase", "glue:GetTable", "glue:GetTables",
                                "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"),
                                List.of(glue + "catalog", glue + "database/" + databaseName, glue + "table/" + databaseName + "/*")),
                        statement("ReadCuratedObjects", List.of("s3:GetObject"), List.of(curated.arnForObjects("*"))),
                        statement("ReadCuratedBucket", List.of("s3:ListBucket", "s3:GetBucketLocation"),
                                List.of(curated.getBucketArn())),
                        statement("ReadWriteQueryResults", List.of("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload",
                                "s3:ListMultipartUploadParts"), List.of(results.arnForObjects(QueryWorkgroup.RESULTS_PREFIX + "*"))),
                        statement("QueryResultsBucket", List.of("s3:ListBucket", "s3:GetBucketLocation",
                                "s3:ListBucketMultipartUploads"), List.of(results.getBucketArn()))))
                .build();
        NagChecks.acknowledgeMatching(policy, "AwsSolutions-IAM5", "Resource::\\*",
                "athena:ListWorkGroups and athena:ListEngineVersions have no resource-level permissions (the console "
                        + "lists workgroups before a query); listing shows names only.");
        NagChecks.acknowledgeMatching(policy, "AwsSolutions-IAM5",
                "Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/[a-z0-9_]+/\\*",
                "Every table of the curated database, read-only (the database is this platform's own).");
        NagChecks.acknowledgeMatching(policy, "AwsSolutions-IAM5",
                "Resource::(.+CuratedBucket.+/\\*|.+ResultsBucket.+/athena/\\*)",
                "Object-level S3 actions need the bucket ARN + /*: read-only on the curated bucket, and the "
                        + "results prefix Athena writes to with the caller's credentials.");
    }

    private static PolicyStatement statement(String sid, List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().sid(sid).actions(actions).resources(resources).build();
    }

    public String arn() {
        return policy.getManagedPolicyArn();
    }
}

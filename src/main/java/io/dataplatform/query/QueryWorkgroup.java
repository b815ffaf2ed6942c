package io.dataplatform.query;

import io.dataplatform.config.BucketLifecycle;
import io.dataplatform.config.PlatformConfig;
import io.dataplatform.config.QueryConfig;
import io.dataplatform.config.RemovalMode;
import io.dataplatform.core.NagChecks;
import io.dataplatform.datalake.DataLakeBucket;
import io.dataplatform.datalake.DataLakeBucketProps;
import java.util.Optional;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The Athena workgroup analysts query through, with its settings enforced (a client cannot override
 * them): engine version 3, a per-query bytes-scanned cutoff, CloudWatch metrics, and results in a
 * dedicated bucket (SSE-S3, TLS only, versioned, private like every data-lake bucket) whose
 * lifecycle deletes them after {@code query.resultsExpirationDays}.
 */
public final class QueryWorkgroup extends Construct {
    /** Prefix of query results in the results bucket. */
    public static final String RESULTS_PREFIX = "athena/";
    public static final String ENGINE_VERSION = "Athena engine version 3";

    private final IBucket results;
    private final CfnWorkGroup workgroup;

    public QueryWorkgroup(Construct scope, String id, PlatformConfig config, String name) {
        super(scope, id);
        QueryConfig query = config.query();
        // Results are disposable: expired after the configured days, old versions a day later.
        results = new DataLakeBucket(this, "Results", new DataLakeBucketProps("query-results",
                new BucketLifecycle(false, null, null, query.resultsExpirationDays(), 1),
                config.dataLake().abortIncompleteMultipartDays(), config.removal(), Optional.empty())).bucket();
        NagChecks.acknowledge(results, "AwsSolutions-S1",
                "Holds only Athena's query results, which expire; who ran which query is in Athena's query history and "
                        + "CloudTrail (StartQueryExecution). Access logs into the logs bucket would need a new statement in "
                        + "the datalake stack's bucket policy, which this stack leaves untouched.");

        workgroup = CfnWorkGroup.Builder.create(this, "WorkGroup")
                .name(name)
                .description("Queries over the curated zone; settings enforced (engine v3, scan cutoff, encrypted results)")
                .state("ENABLED")
                // Only an environment that may be destroyed takes its saved queries with it.
                .recursiveDeleteOption(config.removal() == RemovalMode.DESTROY)
                .workGroupConfiguration(CfnWorkGroup.WorkGroupConfigurationProperty.builder()
                        .enforceWorkGroupConfiguration(true)
                        .engineVersion(CfnWorkGroup.EngineVersionProperty.builder()
                                .selectedEngineVersion(ENGINE_VERSION).build())
                        .bytesScannedCutoffPerQuery(query.bytesScannedCutoff())
                        .publishCloudWatchMetricsEnabled(true)
                        .requesterPaysEnabled(false)
                        .resultConfiguration(CfnWorkGroup.ResultConfigurationProperty.builder()
                                .outputLocation("s3://" + results.getBucketName() + "/" + RESULTS_PREFIX)
                                .expectedBucketOwner(Aws.ACCOUNT_ID)
                                .encryptionConfiguration(CfnWorkGroup.EncryptionConfigurationProperty.builder()
                                        .encryptionOption("SSE_S3").build())
                                .build())
                        .build())
                .build();
    }

    public IBucket results() {
        return results;
    }

    public String name() {
        return workgroup.getName();
    }

    /** {@code arn:<partition>:athena:<region>:<account>:workgroup/<name>}. */
    public String arn() {
        return "arn:" + Aws.PARTITION + ":athena:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":workgroup/" + workgroup.getName();
    }
}

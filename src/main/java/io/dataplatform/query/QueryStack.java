package io.dataplatform.query;

import io.dataplatform.config.PlatformConfig;
import io.dataplatform.core.PlatformStack;
import io.dataplatform.core.StackKind;
import io.dataplatform.datalake.DataLakeBuckets;
import software.constructs.Construct;

/**
 * Querying the lake: the Glue Data Catalog database of the curated zone with the sample job's
 * tables (partition projection, so every date the job writes is queryable at once), the Athena
 * workgroup with its results bucket, and the analysts' managed policy. Reads the data-lake buckets;
 * changes nothing in the datalake stack.
 */
public final class QueryStack extends PlatformStack {
    private final CuratedCatalog catalog;
    private final QueryWorkgroup workgroup;

    public QueryStack(Construct scope, PlatformConfig config, DataLakeBuckets buckets) {
        super(scope, StackKind.QUERY, config);
        catalog = new CuratedCatalog(this, "Catalog", buckets.curated(), databaseName(config),
                config.query().firstRunDate());
        workgroup = new QueryWorkgroup(this, "Athena", config, naming().resourceName("analytics"));
        AnalystPolicy analysts = new AnalystPolicy(this, "Analysts", naming().accountWideName("analysts"), workgroup,
                catalog.databaseName(), buckets.curated());

        output("DatabaseName", catalog.databaseName(), "Glue database of the curated zone");
        output("WorkGroupName", workgroup.name(), "Athena workgroup (aws athena start-query-execution --work-group)");
        output("ResultsBucketName", workgroup.results().getBucketName(), "Athena query results (expire)");
        output("AnalystPolicyArn", analysts.arn(), "managed policy to attach to analysts");
    }

    /** e.g. {@code dataplat_dev_curated}: Athena takes only lowercase letters, digits and underscores. */
    static String databaseName(PlatformConfig config) {
        return (config.project() + "_" + config.envName() + "_curated").replace('-', '_');
    }

    public CuratedCatalog catalog() {
        return catalog;
    }

    public QueryWorkgroup workgroup() {
        return workgroup;
    }
}

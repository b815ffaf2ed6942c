package io.dataplatform.datalake;

import io.dataplatform.config.BucketRole;
import software.amazon.awscdk.services.s3.IBucket;

/** The data-lake buckets, as later stacks receive them (typed props, never hard-coded names). */
public record DataLakeBuckets(IBucket raw, IBucket curated, IBucket artifacts, IBucket logs) {

    public IBucket get(BucketRole role) {
        return switch (role) {
            case RAW -> raw;
            case CURATED -> curated;
            case ARTIFACTS -> artifacts;
            case LOGS -> logs;
        };
    }
}

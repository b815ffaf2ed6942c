package io.dataplatform.config;

import java.util.EnumMap;
import java.util.Map;

/**
 * The data-lake buckets of one environment.
 *
 * @param abortIncompleteMultipartDays days after which unfinished multipart uploads are removed
 * @param buckets                      lifecycle rules per bucket
 */
public record DataLakeConfig(int abortIncompleteMultipartDays, Map<BucketRole, BucketLifecycle> buckets) {

    public DataLakeConfig {
        buckets = Map.copyOf(new EnumMap<>(buckets));
    }

    public BucketLifecycle lifecycle(BucketRole role) {
        return buckets.get(role);
    }
}

package io.dataplatform.datalake;

import io.dataplatform.config.BucketLifecycle;
import io.dataplatform.config.RemovalMode;
import java.util.Optional;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * @param name                  which bucket this is, e.g. {@code raw}: its folder in the access logs
 * @param lifecycle             its lifecycle rules
 * @param abortMultipartDays    days before incomplete multipart uploads are removed
 * @param removal               retain or destroy on delete
 * @param accessLogs            where S3 server access logs go; empty for the logs bucket itself
 */
public record DataLakeBucketProps(
        String name,
        BucketLifecycle lifecycle,
        int abortMultipartDays,
        RemovalMode removal,
        Optional<IBucket> accessLogs) {
}

package io.dataplatform.datalake;

import io.dataplatform.config.BucketRole;
import io.dataplatform.config.DataLakeConfig;
import io.dataplatform.config.PlatformConfig;
import io.dataplatform.core.NagChecks;
import io.dataplatform.core.PlatformStack;
import io.dataplatform.core.StackKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The data lake: {@code raw} (landing zone), {@code curated} (Spark output), {@code artifacts}
 * (DAGs and Spark jobs) and {@code logs} (S3 access logs, EMR and Airflow logs).
 *
 * <p>Construct ids here are part of each bucket's logical id: renaming one would replace the
 * bucket, which StatefulLogicalIdsTest catches.
 */
public final class DataLakeStack extends PlatformStack {
    private final DataLakeBuckets buckets;

    public DataLakeStack(Construct scope, PlatformConfig config) {
        super(scope, StackKind.DATALAKE, config);
        DataLakeConfig lake = config.dataLake();

        DataLakeBucket logs = bucket(BucketRole.LOGS, lake, config, Optional.empty());
        // Logging the logs bucket into itself would log its own log deliveries, forever.
        NagChecks.acknowledge(logs.bucket(), "AwsSolutions-S1",
                "This is the access-log target of the other buckets; logging it into itself would create a log loop.");

        Map<BucketRole, IBucket> all = new EnumMap<>(BucketRole.class);
        all.put(BucketRole.LOGS, logs.bucket());
        for (BucketRole role : new BucketRole[] {BucketRole.RAW, BucketRole.CURATED, BucketRole.ARTIFACTS}) {
            all.put(role, bucket(role, lake, config, Optional.of(logs.bucket())).bucket());
        }
        buckets = new DataLakeBuckets(all.get(BucketRole.RAW), all.get(BucketRole.CURATED),
                all.get(BucketRole.ARTIFACTS), all.get(BucketRole.LOGS));
        LakeWriters writers = new LakeWriters(this, "Writers", naming(), buckets);
        new CfnOutput(this, "DagAuthorRoleArn", CfnOutputProps.builder().value(writers.dagAuthorRole().getRoleArn())
                .description("the only people's role that may write DAGs, Spark jobs and raw input").build());

        for (BucketRole role : BucketRole.values()) {
            String name = capitalize(role.key());
            new CfnOutput(this, name + "BucketName", CfnOutputProps.builder()
                    .value(buckets.get(role).getBucketName()).description(role.key() + " bucket name").build());
            new CfnOutput(this, name + "BucketArn", CfnOutputProps.builder()
                    .value(buckets.get(role).getBucketArn()).description(role.key() + " bucket ARN").build());
        }
    }

    public DataLakeBuckets buckets() {
        return buckets;
    }

    private DataLakeBucket bucket(BucketRole role, DataLakeConfig lake, PlatformConfig config, Optional<IBucket> accessLogs) {
        return new DataLakeBucket(this, capitalize(role.key()), new DataLakeBucketProps(
                role.key(), lake.lifecycle(role), lake.abortIncompleteMultipartDays(), config.removal(), accessLogs));
    }

    private static String capitalize(String key) {
        return Character.toUpperCase(key.charAt(0)) + key.substring(1);
    }
}

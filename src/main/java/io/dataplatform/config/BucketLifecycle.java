package io.dataplatform.config;

/**
 * Lifecycle rules of one bucket. {@code null} day counts switch that rule off.
 *
 * @param intelligentTiering       move objects to S3 Intelligent-Tiering right away (instead of
 *                                 the fixed Standard-IA / Glacier IR transitions)
 * @param standardIaDays           days after creation to move objects to Standard-IA (min 30)
 * @param glacierIrDays            days after creation to move objects to Glacier Instant Retrieval
 * @param expirationDays           days after creation to expire current objects
 * @param noncurrentExpirationDays days after an object version becomes noncurrent to delete it
 */
public record BucketLifecycle(
        boolean intelligentTiering,
        Integer standardIaDays,
        Integer glacierIrDays,
        Integer expirationDays,
        int noncurrentExpirationDays) {
}

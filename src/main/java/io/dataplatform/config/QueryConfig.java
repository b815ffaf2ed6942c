package io.dataplatform.config;

/**
 * The query layer over the curated zone: Glue Data Catalog table and Athena workgroup.
 *
 * @param bytesScannedCutoffMb  Athena cancels a query of the workgroup once it has scanned this many
 *                              megabytes (10^6 bytes); Athena bills per byte scanned
 * @param resultsExpirationDays query results (and their old versions) are deleted after this many days
 * @param firstRunDate          first {@code run_date} the curated table projects (yyyy-MM-dd): a query
 *                              without a date filter reads every day from here to today
 */
public record QueryConfig(int bytesScannedCutoffMb, int resultsExpirationDays, String firstRunDate) {
    /** Athena's smallest per-query cutoff (botocore's BytesScannedCutoffValue: min 10000000). */
    public static final int MIN_CUTOFF_MB = 10;

    public long bytesScannedCutoff() {
        return bytesScannedCutoffMb * 1_000_000L;
    }
}

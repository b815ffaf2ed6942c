package io.dataplatform.config;

/** Which EMR clusters the EMR alarms and dashboard widgets watch. */
public enum EmrAlarmScope {
    /**
     * Only clusters tagged with this platform's {@code Project} and {@code Environment} (the sample DAG
     * tags its clusters so): Metrics Insights filters on resource tags, which needs CloudWatch's
     * account-level "resource tags for telemetry" turned on once per account and region.
     */
    PLATFORM,
    /** Every EMR cluster of the account and region: no account setting needed, but foreign clusters alarm too. */
    ACCOUNT
}

package io.dataplatform.config;

/** The four data-lake buckets and their lifecycle defaults. */
public enum BucketRole {
    RAW("raw", new BucketLifecycle(false, 30, 90, null, 30)),
    CURATED("curated", new BucketLifecycle(false, 90, null, null, 30)),
    ARTIFACTS("artifacts", new BucketLifecycle(false, null, null, null, 7)),
    LOGS("logs", new BucketLifecycle(false, null, null, 90, 7));

    private final String key;
    private final BucketLifecycle defaults;

    BucketRole(String key, BucketLifecycle defaults) {
        this.key = key;
        this.defaults = defaults;
    }

    /** The config key and the name fragment of this bucket. */
    public String key() {
        return key;
    }

    public BucketLifecycle defaults() {
        return defaults;
    }
}

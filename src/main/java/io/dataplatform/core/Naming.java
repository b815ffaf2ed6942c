package io.dataplatform.core;

import io.dataplatform.config.PlatformConfig;

/**
 * The one place that decides names. Resource names are left to CloudFormation (which makes them
 * unique per account and region); only stack names are chosen, and every generated name starts
 * with its stack name.
 */
public final class Naming {
    private final PlatformConfig config;

    public Naming(PlatformConfig config) {
        this.config = config;
    }

    /** e.g. {@code dataplat-dev-network}; the account-wide delivery stack is {@code dataplat-delivery}. */
    public String stackName(StackKind kind) {
        if (kind == StackKind.DELIVERY) {
            return config.project() + "-" + kind.key();
        }
        return config.project() + "-" + config.envName() + "-" + kind.key();
    }

    /** A name for a resource that needs one chosen by us, e.g. {@code dataplat-dev-vpc-flow-logs}. */
    public String resourceName(String suffix) {
        return config.project() + "-" + config.envName() + "-" + suffix;
    }
}

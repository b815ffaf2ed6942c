package io.dataplatform.core;

import io.dataplatform.config.PlatformConfig;
import software.amazon.awscdk.Aws;

/**
 * The one place that decides names. Resource names are left to CloudFormation (which makes them
 * unique per account and region) unless AWS needs a chosen one; stack names are chosen, and every
 * generated name starts with its stack name.
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

    /**
     * The name of the EMR nodes' role and of its instance profile, e.g.
     * {@code dataplat-dev-emr-nodes-eu-west-1}. EMR requires the two names to be equal, and IAM
     * names are account-wide, so the region keeps two regions of one account apart. At most 20 +
     * 12 + 11 + 15 = 58 characters: within IAM's 64 for role names.
     */
    public String emrNodesRoleName() {
        return accountWideName("emr-nodes");
    }

    /**
     * The role that ships the sample pipeline's files (the BucketDeployment handler's), named so that
     * the data-lake buckets' policies can let it write, e.g. {@code dataplat-dev-deployer-eu-west-1}
     * (at most 20 + 12 + 10 + 15 = 57 characters).
     */
    public String pipelineDeployerRoleName() {
        return accountWideName("deployer");
    }

    /**
     * The DAG authors' role, the only people's role that may write DAGs, Spark jobs and raw input,
     * e.g. {@code dataplat-dev-dag-author-eu-west-1} (at most 59 characters).
     */
    public String dagAuthorRoleName() {
        return accountWideName("dag-author");
    }

    /**
     * A name for an IAM resource we name ourselves: IAM names are account-wide, so the region keeps
     * the same environment in two regions of one account apart, e.g.
     * {@code dataplat-dev-analysts-eu-west-1}.
     */
    public String accountWideName(String suffix) {
        return resourceName(suffix + "-") + Aws.REGION;
    }

    /** A name for a resource that needs one chosen by us, e.g. {@code dataplat-dev-vpc-flow-logs}. */
    public String resourceName(String suffix) {
        return config.project() + "-" + config.envName() + "-" + suffix;
    }
}

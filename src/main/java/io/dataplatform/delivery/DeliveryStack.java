package io.dataplatform.delivery;

import io.dataplatform.config.DeliveryConfig;
import io.dataplatform.config.PlatformConfig;
import io.dataplatform.core.NagChecks;
import io.dataplatform.core.PlatformStack;
import io.dataplatform.core.StackKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.CfnOIDCProvider;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.WebIdentityPrincipal;
import software.constructs.Construct;

/**
 * What GitHub Actions needs to deploy the platform, once per account: the GitHub OIDC provider
 * (or an existing one) and two roles without long-lived keys. The deploy role is trusted only by
 * the configured branches and GitHub environments of the configured repository; the diff role,
 * for pull requests, can only read. Neither can do anything but assume the CDK bootstrap roles
 * of the configured qualifier, which hold the real permissions.
 */
public final class DeliveryStack extends PlatformStack {
    static final String GITHUB_ISSUER = "token.actions.githubusercontent.com";
    /** The repository's OIDC subject template the trust policies expect (README, Delivery). */
    public static final List<String> SUBJECT_CLAIMS = List.of("repo", "context", "ref");

    public DeliveryStack(Construct scope, PlatformConfig config, DeliveryConfig delivery) {
        super(scope, StackKind.DELIVERY, config);
        String providerArn = delivery.oidcProviderArn().orElseGet(() -> {
            CfnOIDCProvider created = CfnOIDCProvider.Builder.create(this, "GitHubOidc")
                    .url("https://" + GITHUB_ISSUER)
                    .clientIdList(List.of("sts.amazonaws.com"))
                    .build();
            created.applyRemovalPolicy(RemovalPolicy.RETAIN);
            return created.getAttrArn();
        });

        // With the repository's OIDC subject template set to the claims repo, context and ref (README,
        // Delivery), a deploy job's subject names both its GitHub environment and its branch: only a
        // job on a deploy branch that names an environment can deploy. GitHub's default subject
        // (environment only, whatever the branch) matches nothing here.
        List<String> deploySubjects = new ArrayList<>();
        for (String environment : delivery.githubEnvironments()) {
            for (String branch : delivery.deployBranches()) {
                deploySubjects.add(subject(delivery, "environment:" + environment + ":ref:refs/heads/" + branch));
            }
        }
        Role deploy = githubRole("DeployRole", "GitHub Actions: deploy the platform (assumes the CDK bootstrap roles only)",
                providerArn, deploySubjects);
        deploy.addToPrincipalPolicy(assumeBootstrapRoles(delivery.bootstrapQualifier(),
                List.of("deploy", "file-publishing", "image-publishing", "lookup")));

        Role diff = githubRole("DiffRole", "GitHub Actions: cdk diff for pull requests (reads deployed templates only)",
                providerArn, List.of(subject(delivery, "pull_request:ref:refs/pull/*")));
        diff.addToPrincipalPolicy(assumeBootstrapRoles(delivery.bootstrapQualifier(), List.of("lookup")));

        new CfnOutput(this, "DeployRoleArn", CfnOutputProps.builder().value(deploy.getRoleArn())
                .description("role-to-assume of the deploy workflow (secret AWS_DEPLOY_ROLE_ARN)").build());
        new CfnOutput(this, "DiffRoleArn", CfnOutputProps.builder().value(diff.getRoleArn())
                .description("role-to-assume of the pull-request workflow (secret AWS_DIFF_ROLE_ARN)").build());
    }

    /** The OIDC subject GitHub issues with the subject template {@link #SUBJECT_CLAIMS}. */
    static String subject(DeliveryConfig delivery, String contextAndRef) {
        return "repo:" + delivery.githubRepository() + ":" + contextAndRef;
    }

    private Role githubRole(String id, String description, String providerArn, List<String> subjects) {
        Role role = Role.Builder.create(this, id)
                .description(description)
                .maxSessionDuration(Duration.hours(1))
                .assumedBy(new WebIdentityPrincipal(providerArn, Map.of(
                        "StringEquals", Map.of(GITHUB_ISSUER + ":aud", "sts.amazonaws.com"),
                        "StringLike", Map.of(GITHUB_ISSUER + ":sub", subjects))))
                .build();
        NagChecks.acknowledgeMatching(role, "AwsSolutions-IAM5", "Resource::arn:.+:iam::.+:role/cdk-[a-z0-9]+-[a-z-]+-role-.+-\\*",
                "The CDK bootstrap roles are named cdk-<qualifier>-<kind>-role-<account>-<region>; the wildcard is the region.");
        return role;
    }

    private static PolicyStatement assumeBootstrapRoles(String qualifier, List<String> kinds) {
        return PolicyStatement.Builder.create().sid("AssumeCdkBootstrapRolesOnly")
                .actions(List.of("sts:AssumeRole", "sts:TagSession"))
                .resources(kinds.stream().map(kind -> "arn:" + Aws.PARTITION + ":iam::" + Aws.ACCOUNT_ID + ":role/cdk-"
                        + qualifier + "-" + kind + "-role-" + Aws.ACCOUNT_ID + "-*").toList())
                .build();
    }
}

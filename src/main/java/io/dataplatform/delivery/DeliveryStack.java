package io.dataplatform.delivery;

import io.dataplatform.config.DeliveryConfig;
import io.dataplatform.config.PlatformConfig;
import io.dataplatform.core.NagChecks;
import io.dataplatform.core.PlatformStack;
import io.dataplatform.core.StackKind;
import java.util.Arrays;
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
 * (or an existing one) and roles without long-lived keys.
 * <ul>
 *   <li>One <b>deploy role per GitHub environment</b>, trusted only by jobs of the deploy workflow
 *       ({@code .github/workflows/deploy.yml} on a deploy branch, {@code job_workflow_ref}) that name that
 *       environment. It can change only the stacks of the platform environment of the same name
 *       ({@code <project>-<env>-*}) through CloudFormation with the CDK bootstrap's execution role, publish
 *       assets to the bootstrap bucket and read the bootstrap version. It cannot assume the bootstrap
 *       deploy role, which may change every stack of the account: the pinned CLI then proceeds with the
 *       role's own credentials ("could not be used to assume …, but are for the right account. Proceeding
 *       anyway"). It may assume the read-only lookup role, for context lookups and bin/platform-check.</li>
 *   <li>The <b>diff role</b>, for pull-request jobs, reads deployed templates, stack descriptions and
 *       the bootstrap version, nothing else: no bootstrap role at all (the lookup role's ReadOnlyAccess
 *       reads every S3 object of the account, and a pull request's code runs before review).</li>
 * </ul>
 */
public final class DeliveryStack extends PlatformStack {
    static final String GITHUB_ISSUER = "token.actions.githubusercontent.com";
    /** The repository's OIDC subject template the trust policies expect (README, Delivery). */
    public static final List<String> SUBJECT_CLAIMS = List.of("repo", "context", "job_workflow_ref");
    public static final String DEPLOY_WORKFLOW = ".github/workflows/deploy.yml";
    public static final String PULL_REQUEST_WORKFLOW = ".github/workflows/pull-request.yml";
    /** What the CLI changes a stack with: CloudFormation change sets (plus what a failed deploy needs). */
    static final List<String> STACK_DEPLOY_ACTIONS = List.of("cloudformation:CreateChangeSet",
            "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:DeleteChangeSet",
            "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:GetTemplate",
            "cloudformation:GetTemplateSummary", "cloudformation:ListStackResources", "cloudformation:DescribeStackResources",
            "cloudformation:ContinueUpdateRollback", "cloudformation:RollbackStack",
            "cloudformation:UpdateTerminationProtection");
    /** What {@code cdk diff} reads of a deployed stack. */
    static final List<String> STACK_READ_ACTIONS = List.of("cloudformation:DescribeStacks", "cloudformation:GetTemplate",
            "cloudformation:ListStackResources", "cloudformation:GetTemplateSummary");

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
        Bootstrap bootstrap = new Bootstrap(delivery.bootstrapQualifier());

        // With the repository's OIDC subject template set to repo, context and job_workflow_ref (README,
        // Delivery), a deploy job's subject names its GitHub environment, the workflow file and its branch:
        // only the deploy workflow on a deploy branch, in that environment, gets that environment's role.
        // GitHub's default subject (environment only) matches nothing here.
        for (String environment : delivery.githubEnvironments()) {
            List<String> subjects = delivery.deployBranches().stream().map(branch -> subject(delivery, "environment:"
                    + environment + ":job_workflow_ref:" + delivery.githubRepository() + "/" + DEPLOY_WORKFLOW
                    + "@refs/heads/" + branch)).toList();
            String suffix = Character.toUpperCase(environment.charAt(0)) + environment.substring(1).replace("-", "");
            Role deploy = githubRole("DeployRole" + suffix, "GitHub Actions: deploy the " + environment
                    + " stacks only (GitHub environment " + environment + ")", providerArn, subjects);
            // Each stack by name: a pattern such as dataplat-dev-* would also match an environment named dev-eu.
            List<String> stacks = Arrays.stream(StackKind.values()).filter(k -> k != StackKind.DELIVERY)
                    .map(k -> stackArn(config.project() + "-" + environment + "-" + k.key())).toList();
            deploy.addToPrincipalPolicy(statement("DeployThisEnvironmentsStacksOnly", STACK_DEPLOY_ACTIONS, stacks));
            deploy.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("PassTheBootstrapExecutionRoleToCloudFormation")
                    .actions(List.of("iam:PassRole")).resources(List.of(bootstrap.role("cfn-exec")))
                    .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "cloudformation.amazonaws.com"))).build());
            deploy.addToPrincipalPolicy(statement("PublishAssetsToTheBootstrapBucket",
                    List.of("s3:GetObject", "s3:PutObject", "s3:GetBucketLocation", "s3:ListBucket", "s3:GetEncryptionConfiguration"),
                    List.of(bootstrap.bucket(), bootstrap.bucket() + "/*")));
            bootstrap.allowReadingVersion(deploy);
            deploy.addToPrincipalPolicy(statement("AssumeTheReadOnlyLookupRoleOnly", List.of("sts:AssumeRole", "sts:TagSession"),
                    List.of(bootstrap.role("lookup"))));
            NagChecks.acknowledgeMatching(deploy, "AwsSolutions-IAM5", "Resource::arn:.+:iam::.+:role/cdk-[a-z0-9]+-(lookup|cfn-exec)-role-.+-\\*",
                    "The CDK bootstrap roles are named cdk-<qualifier>-<kind>-role-<account>-<region>; the wildcard is the region.");
            NagChecks.acknowledgeMatching(deploy, "AwsSolutions-IAM5", "Resource::arn:.+:cloudformation:\\*:.+:stack/[a-z0-9-]+/\\*",
                    "The six stacks of this platform environment, by name, in the environment's region; CloudFormation "
                            + "generates the stack id after the name.");
            NagChecks.acknowledgeMatching(deploy, "AwsSolutions-IAM5", "Resource::arn:.+:s3:::cdk-[a-z0-9]+-assets-.+-\\*(/\\*)?",
                    "The CDK bootstrap's asset bucket of the qualifier (named after the region) and its objects, whose keys are "
                            + "content hashes.");
            new CfnOutput(this, "DeployRoleArn" + suffix, CfnOutputProps.builder().value(deploy.getRoleArn())
                    .description("role-to-assume of the deploy workflow in GitHub environment " + environment
                            + " (environment variable AWS_DEPLOY_ROLE_ARN)").build());
        }

        Role diff = githubRole("DiffRole", "GitHub Actions: cdk diff for pull requests (reads deployed templates only)",
                providerArn, List.of(subject(delivery, "pull_request:job_workflow_ref:" + delivery.githubRepository() + "/"
                        + PULL_REQUEST_WORKFLOW + "@refs/pull/*")));
        diff.addToPrincipalPolicy(statement("ReadThePlatformsDeployedTemplates", STACK_READ_ACTIONS,
                List.of(stackArn(config.project() + "-*"))));
        bootstrap.allowReadingVersion(diff);
        NagChecks.acknowledgeMatching(diff, "AwsSolutions-IAM5", "Resource::arn:.+:cloudformation:.+:stack/.+-\\*/\\*",
                "Reads the templates of this project's stacks (<project>-*), every environment, for the pull request's cdk diff.");

        new CfnOutput(this, "DiffRoleArn", CfnOutputProps.builder().value(diff.getRoleArn())
                .description("role-to-assume of the pull-request workflow (repository variable AWS_DIFF_ROLE_ARN)").build());
    }

    /** The CDK bootstrap resources of one qualifier, in this account, in any region. */
    private record Bootstrap(String qualifier) {
        String role(String kind) {
            return "arn:" + Aws.PARTITION + ":iam::" + Aws.ACCOUNT_ID + ":role/cdk-" + qualifier + "-" + kind + "-role-"
                    + Aws.ACCOUNT_ID + "-*";
        }

        String bucket() {
            return "arn:" + Aws.PARTITION + ":s3:::cdk-" + qualifier + "-assets-" + Aws.ACCOUNT_ID + "-*";
        }

        /** The bootstrap version: the CLI reads its parameter, CloudFormation resolves it for CheckBootstrapVersion. */
        void allowReadingVersion(Role role) {
            role.addToPrincipalPolicy(statement("ReadTheBootstrapVersion", List.of("ssm:GetParameter", "ssm:GetParameters"),
                    List.of("arn:" + Aws.PARTITION + ":ssm:*:" + Aws.ACCOUNT_ID + ":parameter/cdk-bootstrap/" + qualifier + "/version")));
            role.addToPrincipalPolicy(statement("DescribeTheBootstrapStack", List.of("cloudformation:DescribeStacks"),
                    List.of("arn:" + Aws.PARTITION + ":cloudformation:*:" + Aws.ACCOUNT_ID + ":stack/CDKToolkit/*")));
            NagChecks.acknowledgeMatching(role, "AwsSolutions-IAM5", "Resource::arn:.+:ssm:\\*:.+:parameter/cdk-bootstrap/.+/version",
                    "The bootstrap version parameter of the qualifier, in whichever region the environment targets.");
            NagChecks.acknowledgeMatching(role, "AwsSolutions-IAM5", "Resource::arn:.+:cloudformation:\\*:.+:stack/CDKToolkit/\\*",
                    "The CDK bootstrap stack (CDKToolkit), in whichever region the environment targets; its id is generated.");
        }
    }

    private static String stackArn(String namePattern) {
        return "arn:" + Aws.PARTITION + ":cloudformation:*:" + Aws.ACCOUNT_ID + ":stack/" + namePattern + "/*";
    }

    private static PolicyStatement statement(String sid, List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().sid(sid).actions(actions).resources(resources).build();
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
        return role;
    }
}

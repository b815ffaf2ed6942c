package io.dataplatform.delivery;

import static io.dataplatform.support.Json.list;
import static io.dataplatform.support.Json.map;
import static io.dataplatform.support.Json.properties;
import static io.dataplatform.support.Json.resources;
import static io.dataplatform.support.Json.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.Fixture;
import io.dataplatform.support.Json;
import io.dataplatform.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class DeliveryStackTest {
    private static Template delivery;

    private static synchronized Template delivery() {
        if (delivery == null) {
            Synth.Synthesized synthesized = Synth.of(with(Fixture.platform(), "delivery",
                    Map.of("githubRepository", "acme/data-platform")), "dev");
            delivery = synthesized.template(synthesized.platform().delivery().orElseThrow());
        }
        return delivery;
    }

    private static Map<String, Object> role(String prefix) {
        return resources(delivery(), "AWS::IAM::Role").entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
    }

    private static Map<String, Object> trust(String prefix) {
        return map(list(map(properties(role(prefix)).get("AssumeRolePolicyDocument")).get("Statement")).get(0));
    }

    private static Map<String, Object> policy(String prefix) {
        Map<String, Object> policy = resources(delivery(), "AWS::IAM::Policy").entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).findFirst().orElseThrow();
        return map(list(map(properties(policy).get("PolicyDocument")).get("Statement")).get(0));
    }

    @Test
    void createsTheGitHubOidcProvider() {
        delivery().hasResourceProperties("AWS::IAM::OIDCProvider", Map.of("Url", "https://token.actions.githubusercontent.com",
                "ClientIdList", List.of("sts.amazonaws.com")));
    }

    private static List<Map<String, Object>> statements(String prefix) {
        Map<String, Object> policy = resources(delivery(), "AWS::IAM::Policy").entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).findFirst().orElseThrow();
        return list(map(properties(policy).get("PolicyDocument")).get("Statement")).stream().map(Json::map).toList();
    }

    private static Map<String, Object> statement(String prefix, String sid) {
        return statements(prefix).stream().filter(s -> sid.equals(s.get("Sid"))).findFirst().orElseThrow();
    }

    @Test
    void eachGitHubEnvironmentHasItsOwnDeployRoleTrustedOnlyByTheDeployWorkflowOnADeployBranch() {
        for (String env : List.of("Dev", "Prod")) {
            Map<String, Object> trust = trust("DeployRole" + env);
            assertThat(trust.get("Action")).isEqualTo("sts:AssumeRoleWithWebIdentity");
            assertThat(map(trust.get("Principal")).get("Federated").toString()).contains("GitHubOidc");
            assertThat(trust.get("Condition")).isEqualTo(Map.of(
                    "StringEquals", Map.of("token.actions.githubusercontent.com:aud", "sts.amazonaws.com"),
                    "StringLike", Map.of("token.actions.githubusercontent.com:sub", List.of("repo:acme/data-platform:environment:"
                            + env.toLowerCase() + ":job_workflow_ref:acme/data-platform/.github/workflows/deploy.yml@refs/heads/main"))));
        }
        assertThat(DeliveryStack.SUBJECT_CLAIMS).containsExactly("repo", "context", "job_workflow_ref");
        // (IamIntentTest evaluates these against other environments, workflows, branches, forks and GitHub's default subject.)
    }

    @Test
    void aDeployRoleChangesOnlyItsEnvironmentsStacksAndCannotAssumeTheBootstrapDeployRole() {
        Map<String, Object> stacks = statement("DeployRoleDev", "DeployThisEnvironmentsStacksOnly");
        assertThat(list(stacks.get("Resource"))).hasSize(6).allSatisfy(r -> assertThat(r.toString()).contains(":stack/dataplat-dev-"));
        assertThat(list(stacks.get("Action"))).allSatisfy(a -> assertThat(a.toString()).startsWith("cloudformation:").doesNotContain("*"));
        assertThat(statements("DeployRoleDev").toString()).doesNotContain("-deploy-role-", "dataplat-prod-", "ManagedPolicyArns");
        assertThat(statement("DeployRoleDev", "AssumeTheReadOnlyLookupRoleOnly").get("Resource").toString()).contains("-lookup-role-");
        assertThat(statement("DeployRoleProd", "DeployThisEnvironmentsStacksOnly").get("Resource").toString())
                .contains(":stack/dataplat-prod-").doesNotContain("dataplat-dev-");
        delivery().hasOutput("DeployRoleArnDev", Map.of());
        delivery().hasOutput("DeployRoleArnProd", Map.of());
    }

    @Test
    void pullRequestsGetADiffRoleThatReadsTemplatesOnly() {
        assertThat(map(trust("DiffRole").get("Condition")).get("StringLike")).isEqualTo(Map.of("token.actions.githubusercontent.com:sub",
                List.of("repo:acme/data-platform:pull_request:job_workflow_ref:acme/data-platform/.github/workflows/pull-request.yml@refs/pull/*")));
        assertThat(statements("DiffRole").stream().flatMap(s -> s.get("Action") instanceof List<?> l ? l.stream() : java.util.stream.Stream.of(s.get("Action"))).map(Object::toString))
                .allSatisfy(a -> assertThat(a).matches("cloudformation:(DescribeStacks|GetTemplate|GetTemplateSummary|ListStackResources)"
                        + "|ssm:GetParameters?"));
        assertThat(statements("DiffRole").toString()).doesNotContain("sts:AssumeRole", ":role/");
    }

    @Test
    void anExistingProviderIsReused() {
        Synth.Synthesized existing = Synth.of(with(Fixture.platform(), "delivery", Map.of("githubRepository", "acme/dp",
                "oidcProviderArn", "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com")), "prod");
        Template t = existing.template(existing.platform().delivery().orElseThrow());
        t.resourceCountIs("AWS::IAM::OIDCProvider", 0);
        assertThat(t.toJSON().toString()).contains("arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com");
        // Production stacks are termination-protected; dev stacks are not.
        assertThat(existing.platform().stacks()).allSatisfy(s -> assertThat(s.getTerminationProtection()).isTrue());
        assertThat(Synth.fixture("dev").platform().stacks()).allSatisfy(s -> assertThat(s.getTerminationProtection()).isFalse());
    }
}

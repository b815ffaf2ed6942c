package io.dataplatform.delivery;

import static io.dataplatform.support.Json.list;
import static io.dataplatform.support.Json.map;
import static io.dataplatform.support.Json.properties;
import static io.dataplatform.support.Json.resources;
import static io.dataplatform.support.Json.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.Fixture;
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

    @Test
    void deployRoleIsTrustedOnlyByJobsThatNameAnEnvironmentOnADeployBranch() {
        Map<String, Object> trust = trust("DeployRole");
        assertThat(trust.get("Action")).isEqualTo("sts:AssumeRoleWithWebIdentity");
        assertThat(map(trust.get("Principal")).get("Federated").toString()).contains("GitHubOidc");
        assertThat(trust.get("Condition")).isEqualTo(Map.of(
                "StringEquals", Map.of("token.actions.githubusercontent.com:aud", "sts.amazonaws.com"),
                "StringLike", Map.of("token.actions.githubusercontent.com:sub", List.of(
                        "repo:acme/data-platform:environment:dev:ref:refs/heads/main",
                        "repo:acme/data-platform:environment:prod:ref:refs/heads/main"))));
        // (IamIntentTest evaluates these against feature branches, forks and GitHub's default subject.)
    }

    @Test
    void deployRoleCanOnlyAssumeTheBootstrapRolesOfTheQualifier() {
        Map<String, Object> statement = policy("DeployRole");
        assertThat(statement.get("Action")).isEqualTo(List.of("sts:AssumeRole", "sts:TagSession"));
        List<Object> resources = list(statement.get("Resource"));
        assertThat(resources).hasSize(4).allSatisfy(r -> assertThat(r.toString()).contains(":role/cdk-hnb659fds-"));
        assertThat(resources.toString()).contains("-deploy-role-", "-file-publishing-role-", "-image-publishing-role-", "-lookup-role-");
        assertThat(properties(role("DeployRole"))).doesNotContainKey("ManagedPolicyArns");
    }

    @Test
    void pullRequestsGetTheReadOnlyDiffRole() {
        assertThat(map(trust("DiffRole").get("Condition")).get("StringLike"))
                .isEqualTo(Map.of("token.actions.githubusercontent.com:sub", List.of("repo:acme/data-platform:pull_request:ref:refs/pull/*")));
        assertThat(policy("DiffRole").get("Resource").toString()).contains("-lookup-role-").doesNotContain("-deploy-role-");
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

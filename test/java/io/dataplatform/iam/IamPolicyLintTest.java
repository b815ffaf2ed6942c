package io.dataplatform.iam;

import static io.dataplatform.support.Json.list;
import static io.dataplatform.support.Json.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.Fixture;
import io.dataplatform.support.Json;
import io.dataplatform.support.Synth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every policy in every template of dev, prod and the delivery stack, checked against AWS's
 * Service Authorization Reference: each action exists; no Allow statement can never apply (an ARN
 * on an action that takes no resource type, an ARN of a type the action does not take, a condition
 * key the action does not support); {@code Resource: "*"} only where the action takes no resource
 * type or a condition scopes it. Also: the instance profile the DAG passes is named as its role.
 */
class IamPolicyLintTest {
    private static final Map<String, String> RESOURCE_POLICIES = Map.of(
            "AWS::S3::BucketPolicy", "PolicyDocument",
            "AWS::SNS::TopicPolicy", "PolicyDocument",
            "AWS::KMS::Key", "KeyPolicy",
            "AWS::SecretsManager::ResourcePolicy", "ResourcePolicy");

    @Test
    void everyPolicyStatementCanApplyAndIsScoped() {
        List<Map<String, Object>> lint = new ArrayList<>();
        for (String env : List.of("dev", "prod")) {
            collect(env, IamIntentTest.deployment(Synth.fixture(env)), lint);
        }
        Synth.Synthesized withDelivery = Synth.of(Json.with(Fixture.platform(), "delivery.githubRepository", "acme/data-platform"), "dev");
        Map<String, Map<String, Object>> delivery = new LinkedHashMap<>();
        withDelivery.platform().delivery().ifPresent(s -> delivery.put(s.getStackName(), withDelivery.template(s).toJSON()));
        collect("delivery", new FakeDeployment(delivery), lint);

        Map<String, List<String>> problems = IamJudge.run(List.of(), lint).lint();
        List<String> found = new ArrayList<>();
        problems.forEach((policy, list) -> list.forEach(problem -> found.add(policy + " -> " + problem)));
        assertThat(problems).hasSize(lint.size());
        assertThat(lint.size()).as("policies checked").isGreaterThan(30);
        assertThat(found).as("IAM statements that can never apply or are wider than meant").isEmpty();
    }

    @Test
    void theInstanceProfileTheDagPassesIsNamedAsItsRole() {
        // EMR rejects an instance profile whose name differs from its role's ("invalid instance profile").
        for (String env : List.of("dev", "prod")) {
            FakeDeployment d = IamIntentTest.deployment(Synth.fixture(env));
            String emr = "dataplat-" + env + "-emr";
            String scheduler = "dataplat-" + env + "-scheduler";
            Map<String, Object> profile = map(d.resources(emr, "AWS::IAM::InstanceProfile").values().iterator().next().get("Properties"));
            List<Object> roles = list(d.resolve(emr, profile.get("Roles")));
            String instance = d.logicalId(scheduler, "AWS::EC2::Instance", "Instance");
            String metadata = String.valueOf(d.resolve(scheduler, d.resources(scheduler, "AWS::EC2::Instance").get(instance).get("Metadata")));
            Matcher passed = Pattern.compile("AIRFLOW_VAR_EMR_INSTANCE_PROFILE=([^\\n,}]+)").matcher(metadata);
            assertThat(passed.find()).as(env + ": the scheduler provides emr_instance_profile").isTrue();
            assertThat(roles).as(env).hasSize(1);
            assertThat(passed.group(1)).as(env + ": instance profile passed as JobFlowRole vs its role's name").isEqualTo(roles.get(0));
        }
    }

    private static void collect(String env, FakeDeployment d, List<Map<String, Object>> lint) {
        for (String stack : d.templates().keySet()) {
            d.resources(stack, "AWS::IAM::Policy").forEach((id, r) ->
                    lint.add(entry(env, stack, id, "identity", d.resolve(stack, map(r.get("Properties")).get("PolicyDocument")))));
            d.resources(stack, "AWS::IAM::ManagedPolicy").forEach((id, r) ->
                    lint.add(entry(env, stack, id, "identity", d.resolve(stack, map(r.get("Properties")).get("PolicyDocument")))));
            d.resources(stack, "AWS::IAM::Role").forEach((id, r) -> {
                Object inline = map(r.get("Properties")).get("Policies");
                if (inline != null) {
                    list(inline).forEach(p -> lint.add(entry(env, stack, id + "/" + map(p).get("PolicyName"), "identity",
                            d.resolve(stack, map(p).get("PolicyDocument")))));
                }
            });
            RESOURCE_POLICIES.forEach((type, property) -> d.resources(stack, type).forEach((id, r) -> {
                Object document = map(r.get("Properties")).get(property);
                if (document != null) {
                    lint.add(entry(env, stack, id, "resource", d.resolve(stack, document)));
                }
            }));
        }
    }

    private static Map<String, Object> entry(String env, String stack, String id, String kind, Object policy) {
        return Map.of("id", env + ": " + stack + "/" + id, "kind", kind, "policy", policy);
    }
}

package io.dataplatform.iam;

import static io.dataplatform.support.Json.list;
import static io.dataplatform.support.Json.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An IAM role of a deployed environment with every identity policy that applies to it, wherever
 * in the templates it is attached (inline, {@code AWS::IAM::Policy}, customer managed policies).
 * AWS managed policies are listed by ARN only: their documents are not part of the templates.
 *
 * @param label             what the role is, for messages
 * @param arn               the role's ARN once deployed
 * @param identityPolicies  {@code {name, policy}} documents, resolved
 * @param trustPolicy       the role's trust policy, resolved
 * @param awsManagedPolicies ARNs of attached AWS managed policies
 */
public record Principal(String label, String arn, List<Map<String, Object>> identityPolicies, Map<String, Object> trustPolicy,
                        List<String> awsManagedPolicies) {

    /** The role {@code stack}/{@code logicalIdPrefix}* of {@code deployment}. */
    public static Principal role(FakeDeployment deployment, String label, String stack, String logicalIdPrefix) {
        String logicalId = deployment.logicalId(stack, "AWS::IAM::Role", logicalIdPrefix);
        String name = deployment.ref(stack, logicalId);
        Map<String, Object> role = map(deployment.resources(stack, "AWS::IAM::Role").get(logicalId).get("Properties"));
        List<Map<String, Object>> policies = new ArrayList<>();
        if (role.get("Policies") != null) {
            for (Object inline : list(role.get("Policies"))) {
                policies.add(policy(String.valueOf(map(inline).get("PolicyName")),
                        deployment.resolve(stack, map(inline).get("PolicyDocument"))));
            }
        }
        for (String other : deployment.templates().keySet()) {
            for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
                deployment.resources(other, type).forEach((id, resource) -> {
                    Map<String, Object> props = map(resource.get("Properties"));
                    Object roles = props.get("Roles");
                    if (roles != null && list(deployment.resolve(other, roles)).contains(name)) {
                        policies.add(policy(other + "/" + id, deployment.resolve(other, props.get("PolicyDocument"))));
                    }
                });
            }
        }
        List<String> managed = new ArrayList<>();
        if (role.get("ManagedPolicyArns") != null) {
            list(deployment.resolve(stack, role.get("ManagedPolicyArns"))).forEach(arn -> managed.add(String.valueOf(arn)));
        }
        return new Principal(label, deployment.attribute(stack, logicalId, "Arn"), policies,
                map(deployment.resolve(stack, role.get("AssumeRolePolicyDocument"))), managed);
    }

    /**
     * Whoever a customer managed policy of {@code deployment} is attached to (the policy attaches to
     * nobody itself): that policy as the only identity policy of a role {@code arn}.
     */
    public static Principal managedPolicy(FakeDeployment deployment, String label, String stack, String logicalIdPrefix,
                                          String arn) {
        String logicalId = deployment.logicalId(stack, "AWS::IAM::ManagedPolicy", logicalIdPrefix);
        Map<String, Object> props = map(deployment.resources(stack, "AWS::IAM::ManagedPolicy").get(logicalId).get("Properties"));
        return new Principal(label, arn, List.of(policy(stack + "/" + logicalId, deployment.resolve(stack, props.get("PolicyDocument")))),
                Map.of(), List.of());
    }

    private static Map<String, Object> policy(String name, Object document) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("name", name);
        policy.put("policy", document);
        return policy;
    }
}

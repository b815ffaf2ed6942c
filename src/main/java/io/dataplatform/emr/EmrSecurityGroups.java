package io.dataplatform.emr;

import io.dataplatform.config.LogRetention;
import io.dataplatform.core.ClasspathFiles;
import io.dataplatform.core.NagChecks;
import io.dataplatform.network.NetworkStack;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.RemovalPolicy;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * EMR-managed security groups for clusters in private subnets: primary, core/task and service
 * access, with the rules EMR requires up front (it adds the rest itself when a cluster starts).
 * They carry the EMR managed-policy tag, which AmazonEMRServicePolicy_v2 requires.
 *
 * <p>EMR's runtime rules make the groups reference each other, which makes {@code cdk destroy}
 * fail with DependencyViolation. A custom resource revokes every rule of the three groups on
 * delete, after CloudFormation has removed the rules it owns and before it deletes the groups.
 */
public final class EmrSecurityGroups extends Construct {
    /** EMR's service-access port on the primary node, and the port EMR reaches nodes on. */
    static final int SERVICE_ACCESS_PORT = 9443;
    static final int NODE_MANAGEMENT_PORT = 8443;
    private static final String HANDLER_SOURCE = "/emr/revoke_security_group_rules.py";

    private final SecurityGroup primary;
    private final SecurityGroup core;
    private final SecurityGroup serviceAccess;

    public EmrSecurityGroups(Construct scope, String id, IVpc vpc) {
        super(scope, id);
        primary = group("Primary", vpc, "EMR-managed: primary node of transient clusters", true);
        core = group("Core", vpc, "EMR-managed: core and task nodes of transient clusters", true);
        serviceAccess = group("ServiceAccess", vpc, "EMR-managed: EMR service access to clusters in private subnets", false);

        // The rules EMR documents for the service-access group of private-subnet clusters.
        primary.addIngressRule(serviceAccess, Port.tcp(SERVICE_ACCESS_PORT), "EMR service access to the primary node");
        serviceAccess.addEgressRule(primary, Port.tcp(NODE_MANAGEMENT_PORT), "EMR service to the primary node");
        serviceAccess.addEgressRule(core, Port.tcp(NODE_MANAGEMENT_PORT), "EMR service to core and task nodes");

        CustomResource cleanup = revokeRulesOnDelete();
        // Delete our own rule resources first, then the runtime rules, then the groups.
        for (IConstruct child : List.of(primary, serviceAccess)) {
            for (IConstruct node : child.getNode().findAll()) {
                if (node instanceof CfnResource rule && rule.getCfnResourceType().startsWith("AWS::EC2::SecurityGroup")
                        && !rule.getCfnResourceType().equals("AWS::EC2::SecurityGroup")) {
                    rule.getNode().addDependency(cleanup);
                }
            }
        }
    }

    private SecurityGroup group(String id, IVpc vpc, String description, boolean allowAllOutbound) {
        SecurityGroup group = SecurityGroup.Builder.create(this, id).vpc(vpc).description(description)
                .allowAllOutbound(allowAllOutbound).build();
        Tags.of(group).add(NetworkStack.EMR_MANAGED_TAG, "true");
        return group;
    }

    private CustomResource revokeRulesOnDelete() {
        Stack stack = Stack.of(this);
        Function handler = Function.Builder.create(this, "RevokeRulesOnDelete")
                .description("Revokes EMR's runtime security-group rules on stack deletion (avoids DependencyViolation)")
                .runtime(Runtime.PYTHON_3_14)
                .architecture(Architecture.ARM_64)
                .handler("index.handler")
                .code(Code.fromInline(ClasspathFiles.read(HANDLER_SOURCE)))
                .timeout(Duration.minutes(2))
                .logGroup(LogGroup.Builder.create(this, "RevokeRulesOnDeleteLogs")
                        .retention(LogRetention.of(30)).removalPolicy(RemovalPolicy.DESTROY).build())
                .build();
        handler.addToRolePolicy(PolicyStatement.Builder.create().sid("DescribeRules")
                .actions(List.of("ec2:DescribeSecurityGroupRules")).resources(List.of("*")).build());
        List<String> groupArns = List.of(primary, core, serviceAccess).stream()
                .map(g -> Arn.format(ArnComponents.builder().service("ec2").resource("security-group")
                        .resourceName(g.getSecurityGroupId()).build(), stack))
                .toList();
        handler.addToRolePolicy(PolicyStatement.Builder.create().sid("RevokeRulesOfEmrGroupsOnly")
                .actions(List.of("ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"))
                .resources(groupArns).build());
        NagChecks.acknowledge(handler.getRole(), "AwsSolutions-IAM5[Resource::*]",
                "ec2:DescribeSecurityGroupRules supports no resource-level permissions; the revoke actions are scoped to the three EMR groups.");
        NagChecks.acknowledge(handler.getRole(),
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                "Only lets the cleanup function write its own CloudWatch logs.");
        return CustomResource.Builder.create(this, "RevokeRules")
                .serviceToken(handler.getFunctionArn())
                .resourceType("Custom::EmrSecurityGroupRuleCleanup")
                .properties(Map.of("SecurityGroupIds", List.of(primary.getSecurityGroupId(), core.getSecurityGroupId(),
                        serviceAccess.getSecurityGroupId())))
                .build();
    }

    public SecurityGroup primary() {
        return primary;
    }

    public SecurityGroup core() {
        return core;
    }

    public SecurityGroup serviceAccess() {
        return serviceAccess;
    }
}

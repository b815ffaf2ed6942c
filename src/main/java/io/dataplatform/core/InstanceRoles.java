package io.dataplatform.core;

import java.util.List;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/** Roles of the platform's EC2 machines (Airflow, EMR nodes): SSM access and the CloudWatch agent. */
public final class InstanceRoles {
    private InstanceRoles() {
    }

    /**
     * A role for EC2 with AmazonSSMManagedInstanceCore (Session Manager instead of SSH keys) and
     * CloudWatchAgentServerPolicy; the caller adds its own least-privilege statements.
     */
    public static Role ec2Role(Construct scope, String id, String description) {
        Role role = Role.Builder.create(scope, id)
                .description(description)
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .managedPolicies(List.of(
                        ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore"),
                        ManagedPolicy.fromAwsManagedPolicyName("CloudWatchAgentServerPolicy")))
                .build();
        NagChecks.acknowledge(role, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]",
                "AWS's minimal policy for Session Manager: shell and port forwarding without SSH keys or open ports.");
        NagChecks.acknowledge(role, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/CloudWatchAgentServerPolicy]",
                "AWS's policy for the CloudWatch agent (PutMetricData, log delivery); maintained by AWS.");
        return role;
    }
}

package io.dataplatform.emr;

import io.dataplatform.config.PlatformConfig;
import io.dataplatform.core.PlatformStack;
import io.dataplatform.core.StackKind;
import io.dataplatform.datalake.DataLakeBuckets;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.constructs.Construct;

/**
 * Everything a transient EMR cluster needs that outlives it: roles and instance profile,
 * EMR-managed security groups, the security configuration, and the sample pipeline's files.
 * Clusters themselves are created by Airflow DAGs.
 */
public final class EmrStack extends PlatformStack {
    private final EmrResources resources;
    private final Map<String, String> airflowVariables;

    public EmrStack(Construct scope, PlatformConfig config, IVpc vpc, DataLakeBuckets buckets) {
        super(scope, StackKind.EMR, config);
        EmrRoles roles = new EmrRoles(this, "Roles", buckets, naming().emrNodesRoleName());
        EmrSecurityGroups groups = new EmrSecurityGroups(this, "SecurityGroups", vpc);
        EmrSecurityConfiguration security = new EmrSecurityConfiguration(this, "SecurityConfiguration",
                config.emr(), config.removal(), roles.serviceRole(), roles.ec2Role(), buckets.artifacts());
        new SamplePipeline(this, "SamplePipeline", buckets, naming().pipelineDeployerRoleName());

        List<String> subnets = vpc.getPrivateSubnets().stream().map(ISubnet::getSubnetId).toList();
        resources = new EmrResources(roles.serviceRole(), roles.ec2Role(), roles.instanceProfile(),
                roles.autoScalingRole(), groups.primary(), groups.core(), groups.serviceAccess(), subnets,
                "s3://" + buckets.logs().getBucketName() + "/" + EmrRoles.LOG_PREFIX, security.name());

        airflowVariables = PipelineVariables.of(config, buckets, resources);

        output("ServiceRoleName", roles.serviceRole().getRoleName(), "EMR service role (ServiceRole)");
        output("ServiceRoleArn", roles.serviceRole().getRoleArn(), "EMR service role ARN");
        output("Ec2RoleArn", roles.ec2Role().getRoleArn(), "role of the cluster nodes");
        output("InstanceProfileName", roles.instanceProfile().getInstanceProfileName(), "cluster nodes (JobFlowRole)");
        output("AutoScalingRoleName", roles.autoScalingRole().getRoleName(), "EMR auto-scaling role (AutoScalingRole)");
        output("PrimarySecurityGroupId", groups.primary().getSecurityGroupId(), "EmrManagedMasterSecurityGroup");
        output("CoreSecurityGroupId", groups.core().getSecurityGroupId(), "EmrManagedSlaveSecurityGroup");
        output("ServiceAccessSecurityGroupId", groups.serviceAccess().getSecurityGroupId(), "ServiceAccessSecurityGroup");
        output("PrivateSubnetIds", String.join(",", subnets), "subnets for clusters (Ec2SubnetId), comma-separated");
        output("LogUri", resources.logUri(), "LogUri of clusters");
        output("SecurityConfigurationName", resources.securityConfigurationName(), "SecurityConfiguration of clusters");
    }

    public EmrResources resources() {
        return resources;
    }

    /** Airflow Variable name to value, for the scheduler's environment file. */
    public Map<String, String> airflowVariables() {
        return airflowVariables;
    }
}

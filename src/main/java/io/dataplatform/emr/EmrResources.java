package io.dataplatform.emr;

import java.util.List;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.iam.IInstanceProfile;
import software.amazon.awscdk.services.iam.IRole;

/**
 * What the scheduler needs to launch clusters (typed props, never hard-coded names).
 *
 * @param serviceRole           EMR service role
 * @param ec2Role               role of the cluster nodes
 * @param instanceProfile       instance profile of the cluster nodes (JobFlowRole)
 * @param autoScalingRole       EMR auto-scaling role
 * @param primarySecurityGroup  EMR-managed group of the primary node
 * @param coreSecurityGroup     EMR-managed group of core/task nodes
 * @param serviceAccessSecurityGroup EMR service-access group
 * @param privateSubnetIds      subnets clusters may run in
 * @param logUri                s3:// prefix of cluster logs
 * @param securityConfigurationName EMR security configuration of every cluster
 */
public record EmrResources(
        IRole serviceRole,
        IRole ec2Role,
        IInstanceProfile instanceProfile,
        IRole autoScalingRole,
        ISecurityGroup primarySecurityGroup,
        ISecurityGroup coreSecurityGroup,
        ISecurityGroup serviceAccessSecurityGroup,
        List<String> privateSubnetIds,
        String logUri,
        String securityConfigurationName) {
}

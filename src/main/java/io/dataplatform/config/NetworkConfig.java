package io.dataplatform.config;

import java.util.List;

/**
 * The VPC of one environment.
 *
 * @param vpcCidr            IPv4 range of the VPC, /16 to /24
 * @param azCount            number of availability zones (at least 2)
 * @param availabilityZones  explicit AZ names, or empty to derive them (see README)
 * @param natMode            NAT instance or NAT gateways
 * @param natCount           how many NAT instances/gateways (1..azCount)
 * @param publicSubnetMask   prefix length of each public subnet
 * @param privateSubnetMask  prefix length of each private subnet (EMR clusters live here)
 * @param flowLogRetentionDays CloudWatch Logs retention of the VPC flow logs
 */
public record NetworkConfig(
        String vpcCidr,
        int azCount,
        List<String> availabilityZones,
        NatMode natMode,
        int natCount,
        int publicSubnetMask,
        int privateSubnetMask,
        int flowLogRetentionDays) {

    public NetworkConfig {
        availabilityZones = List.copyOf(availabilityZones);
    }
}

package io.dataplatform.network;

import static io.dataplatform.support.Json.properties;
import static io.dataplatform.support.Json.resources;
import static io.dataplatform.support.Json.tags;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.Fixture;
import io.dataplatform.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class NetworkStackTest {
    private static Template dev() {
        return Synth.fixture("dev").network();
    }

    private static Template prod() {
        return Synth.fixture("prod").network();
    }

    @Test
    void vpcUsesTheConfiguredCidrPerEnvironment() {
        dev().hasResourceProperties("AWS::EC2::VPC", Map.of("CidrBlock", "10.40.0.0/16",
                "EnableDnsHostnames", true, "EnableDnsSupport", true));
        prod().hasResourceProperties("AWS::EC2::VPC", Map.of("CidrBlock", "10.41.0.0/16"));
    }

    @Test
    void publicAndPrivateSubnetsInTwoAzsSizedForEmr() {
        Template t = dev();
        t.resourceCountIs("AWS::EC2::Subnet", 4);
        Map<String, Map<String, Object>> subnets = resources(t, "AWS::EC2::Subnet");
        List<String> cidrs = subnets.values().stream().map(s -> String.valueOf(properties(s).get("CidrBlock"))).sorted().toList();
        assertThat(cidrs).containsExactly("10.40.0.0/24", "10.40.1.0/24", "10.40.16.0/20", "10.40.32.0/20");
        subnets.values().forEach(s -> assertThat(properties(s).get("MapPublicIpOnLaunch")).isEqualTo(false));
    }

    @Test
    void theVpcAndOnlyItsPrivateSubnetsCarryTheEmrManagedPolicyTag() {
        // AmazonEMRServicePolicy_v2 acts on the VPC too (default security groups, EMR service endpoint).
        assertThat(resources(dev(), "AWS::EC2::VPC").values()).singleElement()
                .satisfies(vpc -> assertThat(tags(vpc)).containsEntry(NetworkStack.EMR_MANAGED_TAG, "true"));
        assertThat(resources(dev(), "AWS::EC2::InternetGateway").values())
                .allSatisfy(gateway -> assertThat(tags(gateway)).doesNotContainKey(NetworkStack.EMR_MANAGED_TAG));
        Map<String, Map<String, Object>> subnets = resources(dev(), "AWS::EC2::Subnet");
        subnets.values().forEach(subnet -> {
            Map<String, String> tags = tags(subnet);
            if ("Private".equals(tags.get("aws-cdk:subnet-type"))) {
                assertThat(tags).containsEntry(NetworkStack.EMR_MANAGED_TAG, "true");
            } else {
                assertThat(tags).doesNotContainKey(NetworkStack.EMR_MANAGED_TAG);
            }
        });
        assertThat(subnets.values().stream().filter(s -> tags(s).containsKey(NetworkStack.EMR_MANAGED_TAG))).hasSize(2);
    }

    @Test
    void devUsesOneGravitonNatInstanceReachableOnlyFromTheVpc() {
        Template t = dev();
        t.resourceCountIs("AWS::EC2::NatGateway", 0);
        t.resourceCountIs("AWS::EC2::Instance", 1);
        t.hasResourceProperties("AWS::EC2::Instance", Map.of(
                "InstanceType", "t4g.nano",
                "SourceDestCheck", false,
                "BlockDeviceMappings", List.of(Map.of("DeviceName", "/dev/xvda",
                        "Ebs", Match.objectLike(Map.of("Encrypted", true, "VolumeType", "gp3")))),
                "NetworkInterfaces", List.of(Match.objectLike(Map.of("AssociatePublicIpAddress", true)))));
        t.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData",
                Map.of("MetadataOptions", Map.of("HttpTokens", "required"))));
        t.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of(
                "GroupDescription", "Security Group for NAT instances",
                "SecurityGroupIngress", List.of(Map.of("CidrIp", "10.40.0.0/16", "IpProtocol", "-1",
                        "Description", "NAT for hosts in the VPC only"))));
    }

    @Test
    void natInstanceRunsArmAmazonLinux2023FromSsmWithoutLookups() {
        Map<String, Object> parameters = io.dataplatform.support.Json.map(dev().toJSON().get("Parameters"));
        assertThat(parameters.values()).anySatisfy(p -> assertThat(io.dataplatform.support.Json.map(p).get("Default"))
                .asString().contains("al2023-ami-kernel-6.1-arm64"));
    }

    @Test
    void prodUsesOneNatGatewayPerAz() {
        Template t = prod();
        t.resourceCountIs("AWS::EC2::NatGateway", 2);
        t.resourceCountIs("AWS::EC2::Instance", 0);
        t.resourceCountIs("AWS::EC2::EIP", 2);
    }

    @Test
    void s3TrafficUsesAGatewayEndpointOnEveryPrivateRouteTable() {
        Map<String, Map<String, Object>> endpoints = resources(dev(), "AWS::EC2::VPCEndpoint");
        assertThat(endpoints).hasSize(1);
        Map<String, Object> endpoint = properties(endpoints.values().iterator().next());
        assertThat(endpoint).containsEntry("VpcEndpointType", "Gateway");
        assertThat(endpoint.get("ServiceName").toString()).contains(".s3");
        assertThat(io.dataplatform.support.Json.list(endpoint.get("RouteTableIds"))).hasSize(4);
    }

    @Test
    void flowLogsCaptureAllTrafficWithConfiguredRetention() {
        dev().hasResourceProperties("AWS::EC2::FlowLog", Map.of("ResourceType", "VPC", "TrafficType", "ALL",
                "LogDestinationType", "cloud-watch-logs"));
        dev().hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 14));
        prod().hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 90));
        prod().hasResource("AWS::Logs::LogGroup", Map.of("DeletionPolicy", "Retain"));
    }

    @Test
    void defaultSecurityGroupIsStrippedOfRules() {
        dev().resourceCountIs("Custom::VpcRestrictDefaultSG", 1);
        prod().resourceCountIs("Custom::VpcRestrictDefaultSG", 1);
    }

    @Test
    void vpcAndPrivateSubnetsAreStackOutputs() {
        dev().hasOutput("VpcId", Map.of());
        dev().hasOutput("PrivateSubnetIds", Map.of());
    }
}

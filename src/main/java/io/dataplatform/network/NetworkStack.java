package io.dataplatform.network;

import io.dataplatform.config.LogRetention;
import io.dataplatform.config.NatMode;
import io.dataplatform.config.NetworkConfig;
import io.dataplatform.config.PlatformConfig;
import io.dataplatform.config.RemovalMode;
import io.dataplatform.core.NagChecks;
import io.dataplatform.core.PlatformStack;
import io.dataplatform.core.StackKind;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.TagProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.ec2.CfnInstance;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Instance;
import software.amazon.awscdk.services.ec2.InstanceRequireImdsv2Aspect;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.NatInstanceProps;
import software.amazon.awscdk.services.ec2.NatInstanceProviderV2;
import software.amazon.awscdk.services.ec2.NatProvider;
import software.amazon.awscdk.services.ec2.NatTrafficDirection;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.Aspects;
import software.constructs.Construct;

/**
 * The VPC every other stack runs in: public subnets (NAT only) and private subnets with egress
 * (EMR clusters, Airflow), NAT from config, an S3 gateway endpoint so data-lake traffic skips the
 * NAT, flow logs, and a default security group without rules.
 */
public final class NetworkStack extends PlatformStack {
    /** EMR's v2 managed policies only act on resources carrying this tag with value "true". */
    public static final String EMR_MANAGED_TAG = "for-use-with-amazon-emr-managed-policies";
    static final String NAT_INSTANCE_TYPE = "t4g.nano";

    private final Vpc vpc;

    public NetworkStack(Construct scope, PlatformConfig config) {
        super(scope, StackKind.NETWORK, config);
        NetworkConfig net = config.network();
        NatProvider nat = natProvider(net);

        VpcProps.Builder props = VpcProps.builder()
                .ipAddresses(IpAddresses.cidr(net.vpcCidr()))
                .natGatewayProvider(nat)
                .natGateways(net.natCount())
                .restrictDefaultSecurityGroup(true)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC)
                                .cidrMask(net.publicSubnetMask()).mapPublicIpOnLaunch(false).build(),
                        SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .cidrMask(net.privateSubnetMask()).build()))
                .gatewayEndpoints(Map.of("S3", GatewayVpcEndpointOptions.builder()
                        .service(GatewayVpcEndpointAwsService.S3).build()));
        List<String> zones = availabilityZones(config);
        if (zones.isEmpty()) {
            props.maxAzs(net.azCount());
        } else {
            props.availabilityZones(zones);
        }
        vpc = new Vpc(this, "Vpc", props.build());
        // aws-cdk-lib applies CloudFormation-Validate acknowledgments to the whole app, whatever construct
        // carries them (tried: this one also silences the scheduler's instance and volume), so it is made
        // once, here where the zones are chosen, and only when they are named.
        if (!Token.isUnresolved(vpc.getAvailabilityZones().get(0))) {
            NagChecks.acknowledgeTemplateRule(vpc, "W3010", "Zones are named on purpose (network.availabilityZones or CDK's AZ lookup cached in cdk.context.json): "
                        + "subnets, instances and the retained data volume must stay in the same zone on every deploy.");
        }

        // AmazonEMRServicePolicy_v2 also needs the VPC itself tagged (the default security groups EMR
        // creates in it, the EMR service endpoint); only the VPC resource, so public subnets stay untagged.
        Tags.of(vpc).add(EMR_MANAGED_TAG, "true", TagProps.builder().includeResourceTypes(List.of("AWS::EC2::VPC")).build());
        for (ISubnet subnet : vpc.getPrivateSubnets()) {
            // Clusters run in private subnets only; public subnets stay out of EMR's reach.
            Tags.of(subnet).add(EMR_MANAGED_TAG, "true");
        }
        addFlowLogs(net, config.removal());
        if (nat instanceof NatInstanceProviderV2 instances) {
            hardenNatInstances(instances, net);
        }

        new CfnOutput(this, "VpcId", software.amazon.awscdk.CfnOutputProps.builder()
                .value(vpc.getVpcId()).description("VPC id").build());
        new CfnOutput(this, "PrivateSubnetIds", software.amazon.awscdk.CfnOutputProps.builder()
                .value(String.join(",", vpc.getPrivateSubnets().stream().map(ISubnet::getSubnetId).toList()))
                .description("Private subnets (EMR clusters, Airflow), comma-separated").build());
    }

    public IVpc vpc() {
        return vpc;
    }

    private static NatProvider natProvider(NetworkConfig net) {
        if (net.natMode() == NatMode.GATEWAY) {
            return NatProvider.gateway();
        }
        // Amazon Linux 2023 arm64 from the public SSM parameter: resolved at deploy time, no lookup.
        return NatProvider.instanceV2(NatInstanceProps.builder()
                .instanceType(new InstanceType(NAT_INSTANCE_TYPE))
                .associatePublicIpAddress(true)
                .defaultAllowedTraffic(NatTrafficDirection.OUTBOUND_ONLY)
                // Our own NAT steps, with retries (src/main/resources/network/nat-instance.sh).
                .userData(software.amazon.awscdk.services.ec2.UserData.custom(
                        io.dataplatform.core.ClasspathFiles.read("/network/nat-instance.sh")))
                .build());
    }

    /**
     * The configured AZs, else none: the Vpc then takes its {@code azCount} zones from the stack, which is
     * CDK's standard AZ lookup (cached in cdk.context.json) when account and region are known, and the
     * first two zones at deploy time ({@code Fn::GetAZs}) otherwise. Zone names are never derived: not
     * every region has {@code <region>a..f} (us-west-1 has no d, e or f).
     */
    private static List<String> availabilityZones(PlatformConfig config) {
        return List.copyOf(config.network().availabilityZones());
    }

    private void addFlowLogs(NetworkConfig net, RemovalMode removal) {
        LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogGroup")
                .retention(LogRetention.of(net.flowLogRetentionDays()))
                .removalPolicy(removal == RemovalMode.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
                .build();
        software.amazon.awscdk.services.ec2.FlowLog flowLog = vpc.addFlowLog("FlowLog", FlowLogOptions.builder()
                .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                .trafficType(FlowLogTrafficType.ALL)
                .build());
        // Confused-deputy guard, as AWS documents for flow logs: only this account's flow logs assume the role.
        software.amazon.awscdk.services.iam.CfnRole role = (software.amazon.awscdk.services.iam.CfnRole)
                flowLog.getNode().findChild("IAMRole").getNode().getDefaultChild();
        role.addPropertyOverride("AssumeRolePolicyDocument.Statement.0.Condition", java.util.Map.of(
                "StringEquals", java.util.Map.of("aws:SourceAccount", software.amazon.awscdk.Aws.ACCOUNT_ID),
                "ArnLike", java.util.Map.of("aws:SourceArn", "arn:" + software.amazon.awscdk.Aws.PARTITION + ":ec2:"
                        + software.amazon.awscdk.Aws.REGION + ":" + software.amazon.awscdk.Aws.ACCOUNT_ID + ":vpc-flow-log/*")));
    }

    private void hardenNatInstances(NatInstanceProviderV2 nat, NetworkConfig net) {
        // Only hosts of this VPC may send traffic through the NAT instance.
        nat.getConnections().allowFrom(Peer.ipv4(net.vpcCidr()), Port.allTraffic(), "NAT for hosts in the VPC only");
        for (Instance instance : nat.getGatewayInstances()) {
            Aspects.of(instance).add(new InstanceRequireImdsv2Aspect());
            CfnInstance cfn = (CfnInstance) instance.getNode().getDefaultChild();
            cfn.setBlockDeviceMappings(List.of(CfnInstance.BlockDeviceMappingProperty.builder()
                    .deviceName("/dev/xvda")
                    .ebs(CfnInstance.EbsProperty.builder().encrypted(true).volumeType("gp3").deleteOnTermination(true).build())
                    .build()));
            NagChecks.acknowledge(instance, "AwsSolutions-EC28",
                    "The NAT instance is a stateless dev-only cost saver; EC2 status-check metrics (basic monitoring) are enough to alarm on it.");
            NagChecks.acknowledge(instance, "AwsSolutions-EC29",
                    "The NAT instance holds no data and is replaced freely; termination protection would only block `cdk destroy` of a dev environment.");
        }
    }
}

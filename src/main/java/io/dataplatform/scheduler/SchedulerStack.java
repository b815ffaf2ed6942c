package io.dataplatform.scheduler;

import io.dataplatform.config.LogRetention;
import io.dataplatform.config.PlatformConfig;
import io.dataplatform.config.RemovalMode;
import io.dataplatform.config.SchedulerConfig;
import io.dataplatform.core.NagChecks;
import io.dataplatform.core.PlatformStack;
import io.dataplatform.core.StackKind;
import io.dataplatform.datalake.DataLakeBuckets;
import io.dataplatform.emr.EmrResources;
import io.dataplatform.emr.PipelineVariables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ec2.ApplyCloudFormationInitOptions;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.CfnInstance;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Instance;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.Volume;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * Apache Airflow on one EC2 instance in a private subnet, bootstrapped unattended by cfn-init,
 * reached only through SSM Session Manager (or an allow-listed CIDR), with its metadata database
 * on a retained, encrypted EBS volume, and an off-hours stop/start schedule.
 */
public final class SchedulerStack extends PlatformStack {
    public static final int UI_PORT = 8080;
    static final String DATA_DEVICE = "/dev/sdf";
    /** Reported by every bootstrap run (1 failed, 0 succeeded) into {@link #metricsNamespace}. */
    public static final String BOOTSTRAP_FAILURES_METRIC = "BootstrapFailures";

    private final Instance instance;
    private final java.util.Optional<DataVolumeBackup> backup;

    public SchedulerStack(Construct scope, PlatformConfig config, IVpc vpc, DataLakeBuckets buckets, EmrResources emr,
                          Map<String, String> airflowVariables) {
        super(scope, StackKind.SCHEDULER, config);
        SchedulerConfig scheduler = config.scheduler();
        RemovalPolicy removal = config.removal() == RemovalMode.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
        ISubnet subnet = vpc.getPrivateSubnets().get(0);

        SecurityGroup group = SecurityGroup.Builder.create(this, "SecurityGroup").vpc(vpc)
                .description("Airflow instance: no ingress unless an allow-listed CIDR is configured")
                .allowAllOutbound(true).build();
        scheduler.uiAllowedCidr().ifPresent(cidr ->
                group.addIngressRule(Peer.ipv4(cidr), Port.tcp(UI_PORT), "Airflow UI from the configured allow-list"));

        AirflowSecrets secrets = new AirflowSecrets(this, "Secrets", config.removal(), scheduler.airflowUsers());
        AirflowRole role = new AirflowRole(this, "InstanceRole", config, buckets, emr, secrets);
        MetadataDatabase rds = scheduler.database() == SchedulerConfig.Database.RDS
                ? new MetadataDatabase(this, "MetadataDatabase", vpc, group, scheduler.rdsInstanceType(), config.production(),
                        config.removal())
                : null;
        if (rds != null) {
            role.allowReadingDatabaseSecret(rds.secret());
        }
        Volume dataVolume = rds != null ? null : Volume.Builder.create(this, "DataVolume")
                .availabilityZone(subnet.getAvailabilityZone())
                .size(Size.gibibytes(scheduler.dataVolumeGb()))
                .volumeType(EbsDeviceVolumeType.GP3)
                .encrypted(true)
                .removalPolicy(removal)
                .build();
        LogGroup serviceLogs = LogGroup.Builder.create(this, "ServiceLogs")
                .retention(LogRetention.of(30)).removalPolicy(removal).build();
        String namespace = metricsNamespace(config);
        role.allowCloudWatchAgent(serviceLogs, namespace);

        instance = Instance.Builder.create(this, "Instance")
                .vpc(vpc)
                .vpcSubnets(SubnetSelection.builder().subnets(List.of(subnet)).build())
                .instanceType(new InstanceType(scheduler.instanceType()))
                // Resolved by EC2 at launch: the template never changes when AWS publishes an AMI.
                .machineImage(MachineImage.resolveSsmParameterAtLaunch(scheduler.amiSsmParameter()))
                .securityGroup(group)
                .role(role.role())
                .requireImdsv2(true)
                .detailedMonitoring(true)
                .disableApiTermination(config.production())
                .associatePublicIpAddress(false)
                .blockDevices(List.of(BlockDevice.builder().deviceName("/dev/xvda")
                        .volume(BlockDeviceVolume.ebs(scheduler.rootVolumeGb(), EbsDeviceOptions.builder()
                                .encrypted(true).volumeType(EbsDeviceVolumeType.GP3).deleteOnTermination(true).build()))
                        .build()))
                // Only imageRevision changes the user data; bumping it replaces the instance on purpose.
                .userDataCausesReplacement(true)
                .build();
        instance.getUserData().addCommands("# image revision " + scheduler.imageRevision()
                + ": bump scheduler.imageRevision to replace this instance with one on the newest AMI");
        Tags.of(instance).add(AirflowRole.INSTANCE_ROLE_TAG, AirflowRole.INSTANCE_ROLE_VALUE);
        CfnInstance cfnInstance = (CfnInstance) instance.getNode().getDefaultChild();
        NagChecks.acknowledgeTemplateRule(cfnInstance, "E1152",
                "ImageId 'resolve:ssm:<public AMI parameter>' is valid for EC2 instances: EC2 resolves it once at "
                        + "launch, which is what keeps a newly published AMI from replacing the instance on deploy.");
        String logicalId = cfnInstance.getLogicalId();  // a token: the final id, after the user-data hash
        if (dataVolume != null) {
            role.allowDataVolumeTakeover(dataVolume.getVolumeId());
        }
        backup = java.util.Optional.ofNullable(dataVolume == null ? null : new DataVolumeBackup(this, "DataVolumeBackup",
                dataVolume, naming().resourceName("airflow-data"), scheduler.backupRetentionDays()));

        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", getRegion());
        env.put("AIRFLOW_VERSION", scheduler.airflowVersion());
        env.put("PYTHON_VERSION", scheduler.pythonVersion());
        env.put("AIRFLOW_API_HOST", scheduler.uiAllowedCidr().isPresent() ? "0.0.0.0" : "127.0.0.1");
        env.put("ADMIN_SECRET_ARN", secrets.admin().getSecretArn());
        env.put("KEYS_SECRET_ARN", secrets.keys().getSecretArn());
        env.put("TASK_ROLE_ARN", role.taskRole().getRoleArn());
        // name:Role:secret ARN, comma-separated (ARNs hold no comma).
        env.put("AIRFLOW_USERS", String.join(",", secrets.users().entrySet().stream()
                .map(u -> u.getKey() + ":" + scheduler.airflowUsers().get(u.getKey()) + ":" + u.getValue().getSecretArn()).toList()));
        env.put("ARTIFACTS_BUCKET", buckets.artifacts().getBucketName());
        env.put("LOGS_BUCKET", buckets.logs().getBucketName());
        env.put("DATA_VOLUME_ID", dataVolume == null ? "" : dataVolume.getVolumeId());
        env.put("DATABASE", scheduler.database().name().toLowerCase(java.util.Locale.ROOT));
        env.put("DB_SECRET_ARN", rds == null ? "" : rds.secret().getSecretArn());
        env.put("METRICS_NAMESPACE", namespace);
        env.put("BOOTSTRAP_FAILURES_METRIC", BOOTSTRAP_FAILURES_METRIC);
        env.put("STATSD_PREFIX", AirflowMetrics.STATSD_PREFIX);
        env.put("METRICS_ALLOW_LIST", AirflowMetrics.allowList());
        airflowVariables.forEach((name, value) -> env.put(PipelineVariables.environmentVariable(name), value));
        instance.applyCloudFormationInit(AirflowBootstrap.init(env, getStackId(), getRegion(), logicalId,
                        Map.of("METRICS_NAMESPACE", namespace, "SERVICE_LOG_GROUP", serviceLogs.getLogGroupName(),
                                "STATSD_SEPARATOR", AirflowMetrics.SEPARATOR)),
                ApplyCloudFormationInitOptions.builder()
                        .configSets(List.of(AirflowBootstrap.CONFIG_SET))
                        .timeout(Duration.minutes(scheduler.bootstrapTimeoutMinutes()))
                        // cfn-hup applies changes in place; a fingerprint would force a stop/start.
                        .embedFingerprint(false)
                        .printLog(true)
                        .build());
        if (!config.production()) {
            NagChecks.acknowledge(instance, "AwsSolutions-EC29",
                    "Termination protection is on in production only; dev instances are torn down with the environment.");
        }

        OperatorAccess operators = new OperatorAccess(this, "Operators", config, role.role(),
                Arn.format(ArnComponents.builder().service("ec2").resource("instance").resourceName(instance.getInstanceId()).build(), this));

        scheduler.offHours().ifPresent(hours -> new OffHoursSchedule(this, "OffHours", hours, instance.getInstanceId(),
                namespace));

        output("InstanceId", instance.getInstanceId(), "Airflow instance");
        output("OperatorPolicyArn", operators.policyArn(),
                "Attach to operators: Session Manager to this host (transcribed shells, UI port forwarding), their own Airflow user");
        output("OpenShell", "aws ssm start-session --region " + getRegion() + " --target " + instance.getInstanceId()
                + " --document-name " + operators.documentName(), "A shell on the host, transcribed to CloudWatch Logs");
        output("OpenAirflowUi", "aws ssm start-session --region " + getRegion() + " --target " + instance.getInstanceId()
                + " --document-name AWS-StartPortForwardingSession --parameters "
                + "'{\"portNumber\":[\"" + UI_PORT + "\"],\"localPortNumber\":[\"" + UI_PORT + "\"]}'",
                "Run this, then open http://localhost:" + UI_PORT);
        output("AdminSecretArn", secrets.admin().getSecretArn(), "Secret holding the Airflow admin user and password");
        output("AdminPasswordCommand", "aws secretsmanager get-secret-value --region " + getRegion() + " --secret-id "
                + secrets.admin().getSecretArn() + " --query SecretString --output text",
                "Prints the admin user and password");
        if (dataVolume != null) {
            output("DataVolumeId", dataVolume.getVolumeId(), "EBS volume holding the Airflow metadata database (retained)");
        } else {
            output("DatabaseEndpoint", rds.instance().getDbInstanceEndpointAddress(), "RDS endpoint of the Airflow metadata database");
        }
        output("MetricsNamespace", namespace, "CloudWatch namespace of Airflow StatsD, memory and disk metrics");
        output("ServiceLogGroup", serviceLogs.getLogGroupName(), "CloudWatch log group of the Airflow services");
    }

    /** CloudWatch namespace of the instance's metrics, e.g. {@code DataPlatform/dataplat-dev/Airflow}. */
    public static String metricsNamespace(PlatformConfig config) {
        return "DataPlatform/" + config.project() + "-" + config.envName() + "/Airflow";
    }

    public Instance instance() {
        return instance;
    }

    /** The data volume's snapshot policy, with the local metadata database. */
    public java.util.Optional<DataVolumeBackup> backup() {
        return backup;
    }
}

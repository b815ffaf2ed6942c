package io.dataplatform.config;

import static io.dataplatform.support.Json.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dataplatform.support.CdkJson;
import io.dataplatform.support.Fixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per validation rule, each asserting the message users see. */
class ConfigValidationTest {
    private static final String DEV = "platform.environments.dev.";

    private static Map<String, Object> platform() {
        return Fixture.platform();
    }

    private static List<String> problems(Map<String, Object> platform, String env) {
        return problems(platform, env, Map.of());
    }

    private static List<String> problems(Map<String, Object> platform, String env, Map<String, String> environment) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(platform, env, environment));
        assertThat(e).as("expected the config to be rejected").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    private static List<String> devProblems(String path, Object value) {
        return problems(with(platform(), "environments.dev." + path, value), "dev");
    }

    @Test
    void everyEnvironmentIsValidatedOnEverySynth() {
        // A mistake in prod fails the dev synth, with prod's full key path.
        assertThat(problems(with(platform(), "environments.prod.removalPolicy", "destroy"), "dev")).containsExactly(
                "platform.environments.prod.removalPolicy: \"destroy\" is not allowed in an environment marked production "
                        + "(production: true); use \"retain\"");
        assertThat(problems(with(with(platform(), "environments.prod.network.azCont", 3),
                "environments.dev.network.azCount", 1), "dev")).hasSize(2)
                .anyMatch(p -> p.startsWith("platform.environments.prod.network.azCont: unknown key"))
                .anyMatch(p -> p.startsWith("platform.environments.dev.network.azCount: must be a whole number from 2 to 6"));
    }

    @Test
    void nullIsOffForLifecycleDaysAndAnErrorEverywhereElse() {
        String notNull = ": must not be null (null switches off only the lifecycle day counts); remove the key to get the default";
        for (String key : List.of("production", "removalPolicy", "tags", "network", "network.vpcCidr", "network.azCount",
                "network.natMode", "network.availabilityZones", "emr.spotCore", "scheduler.offHours", "monitoring.alarmEmails",
                "dataLake.buckets.raw.noncurrentExpirationDays")) {
            assertThat(devProblems(key, null)).as(key).containsExactly(DEV + key + notNull);
        }
        assertThat(problems(with(platform(), "delivery", null), "dev")).containsExactly("platform.delivery" + notNull);
        PlatformConfig off = ConfigLoader.load(with(platform(), "environments.dev.dataLake.buckets.raw.standardIaDays", null),
                "dev", Map.of());
        assertThat(off.dataLake().lifecycle(BucketRole.RAW).standardIaDays()).isNull();
        assertThat(off.dataLake().lifecycle(BucketRole.RAW).glacierIrDays()).isEqualTo(90);
    }

    @Test
    void availabilityZonesAreDistinctAndInTheRegion() {
        Map<String, Object> twice = with(with(platform(), "environments.dev.region", "eu-west-1"),
                "environments.dev.network.availabilityZones", List.of("eu-west-1a", "eu-west-1a"));
        assertThat(problems(twice, "dev")).containsExactly(DEV
                + "network.availabilityZones: lists a zone twice: [eu-west-1a, eu-west-1a]; each subnet pair needs its own zone");
        Map<String, Object> elsewhere = with(with(platform(), "environments.dev.region", "eu-west-1"),
                "environments.dev.network.availabilityZones", List.of("eu-west-1a", "us-east-1b"));
        assertThat(problems(elsewhere, "dev")).containsExactly(DEV + "network.availabilityZones: zone us-east-1b is not in the region eu-west-1");
    }

    @Test
    void anEmptyEnvironmentsObjectSaysNoneIsDefined() {
        assertThat(problems(with(platform(), "environments", Map.of()), "dev")).containsExactly(
                "platform.environments: no environment is defined; add one, e.g. \"dev\": {} (see README, Configuration)");
    }

    @Test
    void listsAreDescribedInThePlural() {
        assertThat(devProblems("monitoring.alarmEmails", "ops@example.com")).containsExactly(
                DEV + "monitoring.alarmEmails: must be a list of e-mail addresses, got \"ops@example.com\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyShippedEnvironmentIsValid() {
        Map<String, Object> shipped = CdkJson.platform();
        assertThat((Map<String, Object>) shipped.get("environments")).isNotEmpty()
                .allSatisfy((name, env) -> assertThat(ConfigLoader.load(shipped, name, Map.of()).envName()).isEqualTo(name));
    }

    @Test
    void fixtureEnvironmentsLoadAsWritten() {
        PlatformConfig dev = ConfigLoader.load(platform(), "dev", Map.of());
        PlatformConfig prod = ConfigLoader.load(platform(), "prod", Map.of());
        assertThat(dev.network().natMode()).isEqualTo(NatMode.INSTANCE);
        assertThat(prod.network().natMode()).isEqualTo(NatMode.GATEWAY);
        assertThat(prod.production()).isTrue();
        assertThat(prod.removal()).isEqualTo(RemovalMode.RETAIN);
    }

    @Test
    void environmentDefaultsToDev() {
        assertThat(ConfigLoader.load(platform(), null, Map.of()).envName()).isEqualTo("dev");
    }

    @Test
    void documentedDefaultsApplyWhenKeysAreLeftOut() {
        Map<String, Object> minimal = with(new java.util.LinkedHashMap<>(), "environments.dev", new java.util.LinkedHashMap<>());
        PlatformConfig config = ConfigLoader.load(minimal, "dev", Map.of());
        assertThat(config.project()).isEqualTo("dataplat");
        assertThat(config.removal()).isEqualTo(RemovalMode.RETAIN);
        assertThat(config.network()).isEqualTo(new NetworkConfig("10.40.0.0/16", 2, List.of(), NatMode.INSTANCE, 1, 24, 20, 30));
        assertThat(config.dataLake().abortIncompleteMultipartDays()).isEqualTo(7);
        assertThat(config.dataLake().lifecycle(BucketRole.RAW)).isEqualTo(new BucketLifecycle(false, 30, 90, null, 30));
        assertThat(config.dataLake().lifecycle(BucketRole.CURATED)).isEqualTo(new BucketLifecycle(false, 90, null, null, 30));
        assertThat(config.dataLake().lifecycle(BucketRole.ARTIFACTS)).isEqualTo(new BucketLifecycle(false, null, null, null, 7));
        assertThat(config.dataLake().lifecycle(BucketRole.LOGS)).isEqualTo(new BucketLifecycle(false, null, null, 90, 7));
    }

    @Test
    void accountAndRegionComeFromConfigOrTheCdkEnvironmentVariables() {
        PlatformConfig fromEnv = ConfigLoader.load(platform(), "dev",
                Map.of("CDK_DEFAULT_ACCOUNT", "111122223333", "CDK_DEFAULT_REGION", "eu-west-1"));
        assertThat(fromEnv.account()).contains("111122223333");
        assertThat(fromEnv.region()).contains("eu-west-1");
        PlatformConfig fromConfig = ConfigLoader.load(with(with(platform(), "environments.dev.account", "444455556666"),
                "environments.dev.region", "us-west-2"), "dev", Map.of("CDK_DEFAULT_REGION", "eu-west-1"));
        assertThat(fromConfig.account()).contains("444455556666");
        assertThat(fromConfig.region()).contains("us-west-2");
    }

    @Test
    void unknownKeysAreRejectedAtEveryLevel() {
        assertThat(devProblems("netwrok", Map.of())).containsExactly(
                DEV + "netwrok: unknown key; allowed keys here: account, dataLake, emr, monitoring, network, production, query, region, removalPolicy, scheduler, tags");
        assertThat(devProblems("network.azCuont", 3)).singleElement().asString()
                .startsWith(DEV + "network.azCuont: unknown key; allowed keys here: availabilityZones, azCount,");
        assertThat(devProblems("dataLake.buckets.raw.standardIADays", 40)).singleElement().asString()
                .startsWith(DEV + "dataLake.buckets.raw.standardIADays: unknown key; allowed keys here: expirationDays,");
        assertThat(devProblems("dataLake.buckets.bronze", Map.of())).singleElement().asString()
                .isEqualTo(DEV + "dataLake.buckets.bronze: unknown key; allowed keys here: artifacts, curated, logs, raw");
        assertThat(problems(with(platform(), "projct", "x"), "dev")).singleElement().asString()
                .isEqualTo("platform.projct: unknown key; allowed keys here: delivery, environments, project");
    }

    @Test
    void unknownEnvironmentListsTheValidOnes() {
        assertThat(problems(platform(), "staging")).containsExactly(
                "env: unknown environment \"staging\" (selected with -c env=staging); valid environments: dev, prod");
    }

    @Test
    void missingPlatformContextIsExplained() {
        assertThatThrownBy(() -> ConfigLoader.load(null, "dev", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("platform: missing from the cdk.json context");
    }

    @Test
    void malformedCidrIsRejected() {
        for (String bad : List.of("10.40.0/16", "300.1.0.0/16", "10.40.0.1/16", "banana")) {
            assertThat(devProblems("network.vpcCidr", bad)).containsExactly(DEV
                    + "network.vpcCidr: must be an IPv4 CIDR block such as 10.40.0.0/16 (no host bits set), got \"" + bad + "\"");
        }
    }

    @Test
    void cidrOutsideSlash16ToSlash24IsRejected() {
        assertThat(devProblems("network.vpcCidr", "10.0.0.0/8")).containsExactly(DEV
                + "network.vpcCidr: prefix must be from /16 to /24 (the sizes a VPC accepts that still fit EMR subnets), got /8");
        assertThat(devProblems("network.vpcCidr", "10.40.0.0/25")).singleElement().asString().contains("got /25");
    }

    @Test
    void subnetsMustFitTheVpc() {
        assertThat(devProblems("network.vpcCidr", "10.40.0.0/20")).singleElement().asString().isEqualTo(DEV
                + "network.vpcCidr: 10.40.0.0/20 has 4096 addresses but 2 AZs x (one /24 public + one /20 private subnet) "
                + "need 8704; use a larger block or smaller publicSubnetMask/privateSubnetMask");
    }

    @Test
    void fewerThanTwoAzsIsRejected() {
        assertThat(devProblems("network.azCount", 1)).containsExactly(
                DEV + "network.azCount: must be a whole number from 2 to 6, got 1");
    }

    @Test
    void moreThanTwoAzsNeedsZonesOrALookup() {
        assertThat(devProblems("network.azCount", 3)).singleElement().asString()
                .startsWith(DEV + "network.azCount: more than 2 AZs needs explicit availabilityZones, or a known account and region");
        // A region alone is not enough: zone names are never derived from it.
        assertThat(problems(with(platform(), "environments.dev.network.azCount", 3), "dev",
                Map.of("CDK_DEFAULT_REGION", "eu-west-1"))).singleElement().asString().contains("network.azCount");
        assertThat(ConfigLoader.load(with(platform(), "environments.dev.network.azCount", 3), "dev",
                Map.of("CDK_DEFAULT_ACCOUNT", "111122223333", "CDK_DEFAULT_REGION", "eu-west-1")).network().azCount()).isEqualTo(3);
    }

    @Test
    void natModeAndCountAreChecked() {
        assertThat(devProblems("network.natMode", "nat")).containsExactly(
                DEV + "network.natMode: must be one of instance | gateway, got \"nat\"");
        assertThat(devProblems("network.natCount", 3)).containsExactly(
                DEV + "network.natCount: must be from 1 to azCount (2), got 3");
    }

    @Test
    void flowLogRetentionMustBeACloudWatchValue() {
        assertThat(devProblems("network.flowLogRetentionDays", 10)).singleElement().asString()
                .startsWith(DEV + "network.flowLogRetentionDays: must be one of the CloudWatch Logs retention values [1, 3, 5, 7, 14,")
                .endsWith("got 10");
    }

    @Test
    void standardIaBeforeThirtyDaysIsRejected() {
        assertThat(devProblems("dataLake.buckets.raw.standardIaDays", 29)).containsExactly(DEV
                + "dataLake.buckets.raw.standardIaDays: must be at least 30 (S3 only moves objects to Standard-IA after 30 days), got 29");
    }

    @Test
    void colderTransitionMustComeAfterTheWarmerOne() {
        assertThat(devProblems("dataLake.buckets.raw.glacierIrDays", 30)).containsExactly(DEV
                + "dataLake.buckets.raw.glacierIrDays: must be at least 30 days later than standardIaDays (30): a colder class "
                + "must come after a warmer one and S3 keeps objects 30 days in Standard-IA; got 30");
    }

    @Test
    void expirationMustComeAfterTheLastTransition() {
        assertThat(devProblems("dataLake.buckets.raw.expirationDays", 90)).containsExactly(
                DEV + "dataLake.buckets.raw.expirationDays: must be later than the last transition (day 90), got 90");
        assertThat(devProblems("dataLake.buckets.curated.expirationDays", 60)).containsExactly(
                DEV + "dataLake.buckets.curated.expirationDays: must be later than the last transition (day 90), got 60");
    }

    @Test
    void nonPositiveDayCountsAreRejected() {
        assertThat(devProblems("dataLake.buckets.artifacts.noncurrentExpirationDays", 0)).containsExactly(
                DEV + "dataLake.buckets.artifacts.noncurrentExpirationDays: must be a whole number at least 1, got 0");
        assertThat(devProblems("dataLake.abortIncompleteMultipartDays", -7)).containsExactly(
                DEV + "dataLake.abortIncompleteMultipartDays: must be a whole number at least 1, got -7");
        assertThat(devProblems("dataLake.buckets.logs.expirationDays", 0)).containsExactly(
                DEV + "dataLake.buckets.logs.expirationDays: must be a whole number at least 1, got 0");
    }

    @Test
    void intelligentTieringExcludesFixedTransitions() {
        assertThat(ConfigLoader.load(with(platform(), "environments.dev.dataLake.buckets.raw.intelligentTiering", true),
                "dev", Map.of()).dataLake().lifecycle(BucketRole.RAW))
                .isEqualTo(new BucketLifecycle(true, null, null, null, 30));
        Map<String, Object> both = with(with(platform(), "environments.dev.dataLake.buckets.raw.intelligentTiering", true),
                "environments.dev.dataLake.buckets.raw.standardIaDays", 30);
        assertThat(problems(both, "dev")).singleElement().asString()
                .startsWith(DEV + "dataLake.buckets.raw.intelligentTiering: cannot be combined with standardIaDays/glacierIrDays");
    }

    @Test
    void destroyIsRejectedInProduction() {
        assertThat(problems(with(platform(), "environments.prod.removalPolicy", "destroy"), "prod")).containsExactly(
                "platform.environments.prod.removalPolicy: \"destroy\" is not allowed in an environment marked production "
                        + "(production: true); use \"retain\"");
    }

    @Test
    void removalPolicyAcceptsOnlyRetainOrDestroy() {
        assertThat(devProblems("removalPolicy", "snapshot")).containsExactly(
                DEV + "removalPolicy: must be one of retain | destroy, got \"snapshot\"");
    }

    @Test
    void wrongTypesAreNamed() {
        assertThat(devProblems("network.azCount", "2")).containsExactly(
                DEV + "network.azCount: must be a whole number from 2 to 6, got the string \"2\"");
        assertThat(devProblems("production", "yes")).containsExactly(DEV + "production: must be true or false, got the string \"yes\"");
        assertThat(devProblems("network", "big")).containsExactly(DEV + "network: must be an object, got \"big\"");
    }

    @Test
    void accountRegionAndProjectFormatsAreChecked() {
        assertThat(devProblems("account", "1234")).containsExactly(DEV + "account: must be a 12-digit AWS account id, got \"1234\"");
        assertThat(devProblems("region", "Europe")).containsExactly(
                DEV + "region: must be an AWS region name such as eu-west-1, got \"Europe\"");
        assertThat(devProblems("region", "eu-west-9")).singleElement().asString()
                .startsWith(DEV + "region: is not a region aws-cdk-lib knows").endsWith("got \"eu-west-9\"");
        assertThat(ConfigLoader.load(with(platform(), "environments.dev.region", "ap-southeast-2"), "dev", Map.of()).region())
                .contains("ap-southeast-2");
        assertThat(problems(with(platform(), "project", "Data_Platform"), "dev")).singleElement().asString()
                .startsWith("platform.project: must be 2-20 characters: lowercase letters, digits and '-'");
    }

    @Test
    void reservedAndInvalidTagsAreRejected() {
        assertThat(devProblems("tags", Map.of("Project", "x"))).containsExactly(
                DEV + "tags.Project: is set by the platform itself; reserved tag keys: Environment, Project");
        assertThat(devProblems("tags", Map.of("aws:owner", "x"))).containsExactly(
                DEV + "tags.aws:owner: tag keys must be 1-128 characters and must not start with \"aws:\"");
    }

    @Test
    void queryDefaultsCapAQueryAtAGigabyteAndKeepResultsAWeek() {
        QueryConfig query = ConfigLoader.load(platform(), "dev", Map.of()).query();
        assertThat(query).isEqualTo(new QueryConfig(1000, 7, "2025-09-01"));
        assertThat(query.bytesScannedCutoff()).isEqualTo(1_000_000_000L);
        // Athena's own minimum (botocore: BytesScannedCutoffValue min 10000000) is the smallest accepted.
        assertThat(QueryConfig.MIN_CUTOFF_MB * 1_000_000L).isEqualTo(10_000_000L);
    }

    @Test
    void emrDefaultsAreTheCurrentReleaseOnGravitonWithSpotCores() {
        EmrConfig emr = ConfigLoader.load(platform(), "dev", Map.of()).emr();
        assertThat(emr).isEqualTo(new EmrConfig("emr-7.13.0", "m7g.xlarge", "m7g.xlarge", 2, true, 30, false,
                java.util.Optional.empty(), 5));
    }

    @Test
    void emrReleaseLabelMustBeAnEmr6Or7Label() {
        assertThat(devProblems("emr.releaseLabel", "7.13.0")).containsExactly(
                DEV + "emr.releaseLabel: must be an EMR 6.x or 7.x release label such as emr-7.13.0, got \"7.13.0\"");
        assertThat(devProblems("emr.releaseLabel", "emr-5.36.0")).singleElement().asString().contains("got \"emr-5.36.0\"");
    }

    @Test
    void emrInstanceTypesAndCountsAreChecked() {
        assertThat(devProblems("emr.coreInstanceType", "big")).containsExactly(
                DEV + "emr.coreInstanceType: must be an EC2 instance type such as m7g.xlarge, got \"big\"");
        assertThat(devProblems("emr.coreInstanceCount", 0)).containsExactly(
                DEV + "emr.coreInstanceCount: must be a whole number from 1 to 50, got 0");
        assertThat(devProblems("emr.spotCore", "yes")).containsExactly(DEV + "emr.spotCore: must be true or false, got the string \"yes\"");
    }

    @Test
    void instanceTypesMustBeOnesAwsCdkLibKnows() {
        assertThat(devProblems("emr.primaryInstanceType", "m7g.hugex")).containsExactly(DEV + "emr.primaryInstanceType: has an "
                + "instance size \"hugex\" that aws-cdk-lib does not know (sizes: nano, micro, small, medium, large, xlarge, "
                + "2xlarge … 48xlarge, metal, 48xlarge.metal …): must be an EC2 instance type such as m7g.xlarge, got \"m7g.hugex\"");
        assertThat(devProblems("scheduler.instanceType", "zz9.large")).containsExactly(DEV + "scheduler.instanceType: has an "
                + "instance family \"zz9\" that aws-cdk-lib does not know: must be an EC2 instance type such as t4g.medium, "
                + "got \"zz9.large\"");
        assertThat(devProblems("scheduler.rdsInstanceType", "t4g.1xlarge")).singleElement().asString()
                .startsWith(DEV + "scheduler.rdsInstanceType: has an instance size \"1xlarge\"");
        // A long alias is a constant of InstanceClass but not a type name.
        assertThat(devProblems("emr.coreInstanceType", "standard7-graviton.large")).containsExactly(DEV + "emr.coreInstanceType: "
                + "is not an instance type name (aws-cdk-lib spells it m7g.large): must be an EC2 instance type such as "
                + "m7g.xlarge, got \"standard7-graviton.large\"");
        Map<String, Object> known = with(with(with(with(platform(), "environments.dev.emr.coreInstanceType", "c6gn.16xlarge"),
                "environments.dev.emr.primaryInstanceType", "m7i.48xlarge"), "environments.dev.scheduler.instanceType", "c6i.metal"),
                "environments.dev.scheduler.rdsInstanceType", "r6g.large");
        PlatformConfig loaded = ConfigLoader.load(known, "dev", Map.of());
        assertThat(loaded.emr().coreInstanceType()).isEqualTo("c6gn.16xlarge");
        assertThat(loaded.emr().primaryInstanceType()).isEqualTo("m7i.48xlarge");
        assertThat(loaded.scheduler().instanceType()).isEqualTo("c6i.metal");
        assertThat(loaded.scheduler().rdsInstanceType()).isEqualTo("r6g.large");
    }

    @Test
    void architectureComesFromAwsCdkLib() {
        // g5g is Graviton although its family starts with g; a name-shape rule called it x86_64.
        Map<String, Object> g5g = with(platform(), "environments.dev.scheduler.instanceType", "g5g.xlarge");
        assertThat(ConfigLoader.load(g5g, "dev", Map.of()).scheduler().arm64()).isTrue();
        assertThat(ConfigLoader.load(g5g, "dev", Map.of()).scheduler().amiSsmParameter()).endsWith("-arm64");
        Map<String, Object> g5 = with(platform(), "environments.dev.scheduler.instanceType", "g5.xlarge");
        assertThat(ConfigLoader.load(g5, "dev", Map.of()).scheduler().arm64()).isFalse();
        Map<String, Object> c7gn = with(platform(), "environments.dev.scheduler.instanceType", "c7gn.large");
        assertThat(ConfigLoader.load(c7gn, "dev", Map.of()).scheduler().arm64()).isTrue();
    }

    @Test
    void emrIdleTimeoutMustBeWithinWhatEmrAccepts() {
        assertThat(devProblems("emr.idleTimeoutMinutes", 0)).containsExactly(
                DEV + "emr.idleTimeoutMinutes: must be a whole number from 1 to 10080, got 0");
        assertThat(devProblems("emr.idleTimeoutMinutes", 10081)).singleElement().asString().endsWith("got 10081");
    }

    @Test
    void inTransitEncryptionNeedsCertificates() {
        assertThat(devProblems("emr.inTransitEncryption", true)).containsExactly(DEV + "emr.inTransitEncryption: needs "
                + "tlsCertificatesKey: EMR in-transit encryption requires PEM certificates (see README, EMR security configuration)");
        assertThat(devProblems("emr.tlsCertificatesKey", "certs.tar")).singleElement().asString()
                .startsWith(DEV + "emr.tlsCertificatesKey: must be the key of a .zip of PEM certificates");
        PlatformConfig ok = ConfigLoader.load(with(with(platform(), "environments.dev.emr.inTransitEncryption", true),
                "environments.dev.emr.tlsCertificatesKey", "emr/tls/certs.zip"), "dev", Map.of());
        assertThat(ok.emr().tlsCertificatesKey()).contains("emr/tls/certs.zip");
    }

    @Test
    void schedulerDefaultsDependOnProduction() {
        SchedulerConfig dev = ConfigLoader.load(platform(), "dev", Map.of()).scheduler();
        SchedulerConfig prod = ConfigLoader.load(platform(), "prod", Map.of()).scheduler();
        assertThat(dev.instanceType()).isEqualTo("t4g.medium");
        assertThat(prod.instanceType()).isEqualTo("m7g.large");
        assertThat(dev.arm64()).isTrue();
        assertThat(dev.airflowVersion()).isEqualTo("3.3.2");
        assertThat(dev.offHours()).contains(new SchedulerConfig.OffHours("cron(0 20 ? * MON-FRI *)", "cron(0 7 ? * MON-FRI *)", "UTC"));
        assertThat(prod.offHours()).isEmpty();
        assertThat(dev.uiAllowedCidr()).isEmpty();
    }

    @Test
    void schedulerImageFollowsAndMustMatchTheInstanceArchitecture() {
        Map<String, Object> x86 = with(platform(), "environments.dev.scheduler.instanceType", "m7i.large");
        assertThat(ConfigLoader.load(x86, "dev", Map.of()).scheduler().amiSsmParameter())
                .isEqualTo("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
        assertThat(problems(with(x86, "environments.dev.scheduler.amiSsmParameter",
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"), "dev")).containsExactly(DEV
                + "scheduler.amiSsmParameter: is for arm64 but instanceType m7i.large is x86_64; use an image of the same architecture");
    }

    @Test
    void airflowUiIsNeverOpenToTheInternet() {
        assertThat(devProblems("scheduler.uiAllowedCidr", "0.0.0.0/0")).containsExactly(DEV
                + "scheduler.uiAllowedCidr: must be /8 or narrower (the Airflow UI must never be open to the internet), got 0.0.0.0/0");
        assertThat(devProblems("scheduler.uiAllowedCidr", "my office")).singleElement().asString()
                .startsWith(DEV + "scheduler.uiAllowedCidr: must be an IPv4 CIDR block");
    }

    @Test
    void airflowAndPythonVersionsAreChecked() {
        assertThat(devProblems("scheduler.airflowVersion", "2.10.5")).containsExactly(
                DEV + "scheduler.airflowVersion: must be an Airflow 3 version such as 3.3.2, got \"2.10.5\"");
        assertThat(devProblems("scheduler.pythonVersion", "3.9")).singleElement().asString()
                .startsWith(DEV + "scheduler.pythonVersion: must be a Python version Airflow publishes constraints for");
    }

    @Test
    void offHoursScheduleIsChecked() {
        assertThat(devProblems("scheduler.offHours.stopCron", "0 20 * * *")).singleElement().asString()
                .startsWith(DEV + "scheduler.offHours.stopCron: must be an EventBridge Scheduler cron expression");
        assertThat(devProblems("scheduler.offHours.timezone", "lisbon")).containsExactly(
                DEV + "scheduler.offHours.timezone: must be an IANA time zone such as Europe/Lisbon or UTC, got \"lisbon\"");
        assertThat(ConfigLoader.load(with(platform(), "environments.dev.scheduler.offHours.enabled", false), "dev", Map.of())
                .scheduler().offHours()).isEmpty();
    }

    @Test
    void cronExpressionsAndTimeZonesAreCheckedAsEventBridgeSchedulerAndTheTimeZoneDatabaseDo() {
        String stop = DEV + "scheduler.offHours.stopCron: ";
        assertThat(devProblems("scheduler.offHours.stopCron", "cron(99 25 * * ? *)")).containsExactly(
                stop + "minutes 99 is out of range 0-59 (EventBridge Scheduler cron), got \"cron(99 25 * * ? *)\"");
        assertThat(devProblems("scheduler.offHours.stopCron", "cron(0 25 * * ? *)")).singleElement().asString()
                .startsWith(stop + "hours 25 is out of range 0-23");
        assertThat(devProblems("scheduler.offHours.stopCron", "cron(0 20 * * MON-FRI *)")).singleElement().asString()
                .startsWith(stop + "exactly one of day-of-month and day-of-week must be ?");
        assertThat(devProblems("scheduler.offHours.stopCron", "cron(0 20 ? * ? *)")).singleElement().asString()
                .startsWith(stop + "exactly one of day-of-month and day-of-week must be ?");
        assertThat(devProblems("scheduler.offHours.stopCron", "cron(0 20 ? FOO MON *)")).singleElement().asString()
                .startsWith(stop + "month \"FOO\" is not a number or a name such as JAN");
        assertThat(devProblems("scheduler.offHours.startCron", "cron(0 7 32 * ? *)")).singleElement().asString()
                .startsWith(DEV + "scheduler.offHours.startCron: day-of-month 32 is out of range 1-31");
        assertThat(devProblems("scheduler.offHours.startCron", "cron(0 7 ? * 8 *)")).singleElement().asString()
                .startsWith(DEV + "scheduler.offHours.startCron: day-of-week 8 is out of range 1-7");
        assertThat(devProblems("scheduler.offHours.timezone", "Mars/Olympus")).containsExactly(DEV
                + "scheduler.offHours.timezone: must be an IANA time zone the JDK's time-zone database knows, such as "
                + "Europe/Lisbon or UTC, got \"Mars/Olympus\"");
        // Valid forms EventBridge Scheduler documents.
        for (String cron : List.of("cron(0 20 ? * MON-FRI *)", "cron(0/15 8-18 ? * 2-6 *)", "cron(30 6 L * ? *)",
                "cron(0 9 ? * 6#3 *)", "cron(0 9 ? * FRIL 2026-2030)", "cron(0 9 15W * ? *)", "cron(0,30 * 1,15 JAN,JUL ? *)")) {
            assertThat(ConfigLoader.load(with(platform(), "environments.dev.scheduler.offHours.stopCron", cron), "dev", Map.of())
                    .scheduler().offHours().orElseThrow().stopCron()).as(cron).isEqualTo(cron);
        }
        assertThat(ConfigLoader.load(with(platform(), "environments.dev.scheduler.offHours.timezone", "America/Argentina/Buenos_Aires"),
                "dev", Map.of()).scheduler().offHours().orElseThrow().timezone()).isEqualTo("America/Argentina/Buenos_Aires");
    }

    @Test
    void metadataDatabaseIsLocalOrRds() {
        assertThat(ConfigLoader.load(platform(), "dev", Map.of()).scheduler().database()).isEqualTo(SchedulerConfig.Database.LOCAL);
        assertThat(devProblems("scheduler.database", "mysql")).containsExactly(
                DEV + "scheduler.database: must be one of local | rds, got \"mysql\"");
    }

    @Test
    void schedulerSizesAreChecked() {
        assertThat(devProblems("scheduler.dataVolumeGb", 5)).containsExactly(
                DEV + "scheduler.dataVolumeGb: must be a whole number from 10 to 16384, got 5");
        assertThat(devProblems("scheduler.imageRevision", 0)).containsExactly(
                DEV + "scheduler.imageRevision: must be a whole number at least 1, got 0");
        assertThat(devProblems("scheduler.bootstrapTimeoutMinutes", 5)).containsExactly(
                DEV + "scheduler.bootstrapTimeoutMinutes: must be a whole number from 10 to 720, got 5");
        assertThat(devProblems("scheduler.backupRetentionDays", 0)).containsExactly(
                DEV + "scheduler.backupRetentionDays: must be a whole number from 1 to 1000, got 0");
        assertThat(devProblems("scheduler.backupRetentionDays", 1001)).containsExactly(
                DEV + "scheduler.backupRetentionDays: must be a whole number from 1 to 1000, got 1001");
        assertThat(problems(with(with(platform(), "environments.dev.scheduler.database", "rds"),
                "environments.dev.scheduler.backupRetentionDays", 14), "dev")).containsExactly(
                DEV + "scheduler.backupRetentionDays: applies to the local metadata database (its EBS volume) only; with "
                        + "database: rds, RDS keeps its own automated backups (7 days)");
    }

    @Test
    void backupsAreKeptLongerInProduction() {
        assertThat(ConfigLoader.load(platform(), "dev", Map.of()).scheduler().backupRetentionDays()).isEqualTo(7);
        assertThat(ConfigLoader.load(platform(), "prod", Map.of()).scheduler().backupRetentionDays()).isEqualTo(30);
    }

    @Test
    void deliveryNeedsAValidRepositoryAndProvider() {
        assertThat(problems(with(platform(), "delivery", Map.of()), "dev")).containsExactly(
                "platform.delivery.githubRepository: is required when delivery is configured (owner/name of the repository)");
        assertThat(problems(with(platform(), "delivery", Map.of("githubRepository", "not a repo")), "dev")).containsExactly(
                "platform.delivery.githubRepository: must be a GitHub repository as owner/name, got \"not a repo\"");
        assertThat(problems(with(platform(), "delivery", Map.of("githubRepository", "a/b", "oidcProviderArn", "arn:aws:iam::1:x")),
                "dev")).singleElement().asString().startsWith("platform.delivery.oidcProviderArn: must be the ARN of an IAM OIDC provider");
        DeliveryConfig ok = ConfigLoader.load(with(platform(), "delivery", Map.of("githubRepository", "acme/dp")), "dev", Map.of())
                .delivery().orElseThrow();
        assertThat(ok).isEqualTo(new DeliveryConfig("acme/dp", List.of("main"), List.of("dev", "prod"), java.util.Optional.empty(), "hnb659fds"));
    }

    @Test
    void monitoringDefaultsAndRulesAreChecked() {
        MonitoringConfig m = ConfigLoader.load(platform(), "dev", Map.of()).monitoring();
        assertThat(m).isEqualTo(new MonitoringConfig(List.of(), 80, 90, 85, 80, 1024, 10, 30, 6, false,
                io.dataplatform.config.EmrAlarmScope.PLATFORM));
        assertThat(devProblems("monitoring.alarmEmails", List.of("oncall"))).containsExactly(
                DEV + "monitoring.alarmEmails[0]: must be an e-mail address, got \"oncall\"");
        assertThat(devProblems("monitoring.cpuPercent", 120)).containsExactly(
                DEV + "monitoring.cpuPercent: must be a whole number from 1 to 100, got 120");
        assertThat(devProblems("monitoring.guardMaxIdleMinutes", 1)).containsExactly(
                DEV + "monitoring.guardMaxIdleMinutes: must be a whole number from 5 to 10080, got 1");
        assertThat(devProblems("monitoring.guardMaxAgeHours", 0)).containsExactly(
                DEV + "monitoring.guardMaxAgeHours: must be a whole number from 1 to 168, got 0");
        assertThat(devProblems("monitoring.memoryPercent", 0)).containsExactly(
                DEV + "monitoring.memoryPercent: must be a whole number from 1 to 100, got 0");
        assertThat(devProblems("monitoring.diskPercent", 101)).containsExactly(
                DEV + "monitoring.diskPercent: must be a whole number from 1 to 100, got 101");
        assertThat(devProblems("monitoring.yarnMemoryAvailablePercent", 15)).containsExactly(
                DEV + "monitoring.yarnMemoryAvailablePercent: was removed: YARN memory runs low during normal Spark work, so the "
                        + "alarm fired on healthy jobs; the emr-apps-pending alarm reports clusters short of capacity. Delete the key");
        assertThat(devProblems("monitoring.hdfsUtilizationPercent", 150)).containsExactly(
                DEV + "monitoring.hdfsUtilizationPercent: must be a whole number from 1 to 100, got 150");
        assertThat(devProblems("monitoring.rawBucketMaxGb", 0)).containsExactly(
                DEV + "monitoring.rawBucketMaxGb: must be a whole number at least 1, got 0");
        assertThat(devProblems("monitoring.guardRateMinutes", 1441)).containsExactly(
                DEV + "monitoring.guardRateMinutes: must be a whole number from 1 to 1440, got 1441");
        assertThat(devProblems("monitoring.guardDryRun", "yes")).containsExactly(
                DEV + "monitoring.guardDryRun: must be true or false, got the string \"yes\"");
        assertThat(devProblems("monitoring.emrAlarmScope", "tags")).containsExactly(
                DEV + "monitoring.emrAlarmScope: must be one of platform | account, got \"tags\"");
        assertThat(devProblems("monitoring.alarmEmail", List.of())).singleElement().asString()
                .startsWith(DEV + "monitoring.alarmEmail: unknown key; allowed keys here: alarmEmails, cpuPercent,");
    }

    @Test
    void allProblemsAreReportedTogether() {
        Map<String, Object> bad = with(with(with(platform(), "environments.dev.network.azCount", 1),
                "environments.dev.network.vpcCidr", "10.0.0.0/8"),
                "environments.dev.dataLake.buckets.raw.standardIaDays", 10);
        assertThat(problems(bad, "dev")).hasSize(3);
        assertThatThrownBy(() -> ConfigLoader.load(bad, "dev", Map.of()))
                .hasMessageStartingWith("Invalid platform configuration (3 problems):\n  - " + DEV);
    }
}

package io.dataplatform.config;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns the {@code platform} context object of {@code cdk.json} into the {@link PlatformConfig}
 * of one environment. Every value has a default here; every problem is collected and reported
 * together in one {@link ConfigException}, before any construct exists.
 */
public final class ConfigLoader {
    /** The context key in cdk.json that holds the whole platform configuration. */
    public static final String CONTEXT_KEY = "platform";
    /** The context key that selects the environment ({@code cdk synth -c env=prod}). */
    public static final String ENV_CONTEXT_KEY = "env";
    public static final String DEFAULT_ENV = "dev";

    static final String DEFAULT_PROJECT = "dataplat";
    static final String DEFAULT_VPC_CIDR = "10.40.0.0/16";
    static final int MIN_STANDARD_IA_DAYS = 30;
    /** Objects must stay 30 days in Standard-IA before S3 moves them to a colder class. */
    static final int MIN_DAYS_IN_STANDARD_IA = 30;

    private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{1,19}");
    private static final Pattern ENV_NAME = Pattern.compile("[a-z][a-z0-9-]{0,11}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d");
    private static final Pattern AZ = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d[a-z]");
    private static final Pattern ANY = Pattern.compile("(?s).*");
    private static final Pattern RELEASE_LABEL = Pattern.compile("emr-(6|7)\\.\\d{1,2}\\.\\d{1,2}");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9.]+");
    private static final Pattern S3_KEY = Pattern.compile("[A-Za-z0-9!_.*'()/-]{1,1024}\\.zip");
    static final String DEFAULT_EMR_RELEASE = "emr-7.13.0";
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    static final String DEFAULT_AIRFLOW = "3.3.2";
    private static final Pattern AIRFLOW_VERSION = Pattern.compile("3\\.\\d{1,2}\\.\\d{1,2}");
    private static final Pattern PYTHON_VERSION = Pattern.compile("3\\.(10|11|12|13)");
    private static final Pattern SSM_PARAMETER = Pattern.compile("/aws/service/[A-Za-z0-9_./-]+");
    private static final Pattern AIRFLOW_USER = Pattern.compile("[a-z][a-z0-9._-]{0,31}");
    private static final Pattern CRON = Pattern.compile("cron\\(\\S+ \\S+ \\S+ \\S+ \\S+ \\S+\\)");
    private static final Pattern TIMEZONE = Pattern.compile("UTC|[A-Z][A-Za-z_]+(/[A-Z][A-Za-z_-]+){1,2}");
    private static final Pattern GITHUB_REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
    private static final Pattern GIT_REF_NAME = Pattern.compile("[A-Za-z0-9_./-]{1,100}");
    private static final Pattern OIDC_PROVIDER_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern QUALIFIER = Pattern.compile("[a-z0-9]{1,10}");
    private static final Set<String> RESERVED_TAGS = Set.of("Project", "Environment");

    private ConfigLoader() {
    }

    /**
     * @param platformContext the {@code platform} context value (a JSON object)
     * @param envSelector     the {@code env} context value, or null for the default
     * @param environment     process environment, for {@code CDK_DEFAULT_ACCOUNT}/{@code CDK_DEFAULT_REGION}
     */
    public static PlatformConfig load(Object platformContext, Object envSelector, Map<String, String> environment) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (platformContext == null) {
            throw new ConfigException(List.of(new ConfigProblem(CONTEXT_KEY,
                    "missing from the cdk.json context; it holds the environments (see README, Configuration)")));
        }
        ConfigSection root = ConfigSection.of(CONTEXT_KEY, platformContext, problems);
        String project = root.string("project", DEFAULT_PROJECT, PROJECT,
                "2-20 characters: lowercase letters, digits and '-', starting with a letter");
        ConfigSection environments = root.section("environments");
        Object deliveryRaw = root.raw("delivery");
        Optional<DeliveryConfig> delivery = deliveryRaw == null ? Optional.empty()
                : Optional.of(readDelivery(ConfigSection.of(root.pathOf("delivery"), deliveryRaw, problems)));
        root.rejectUnknownKeys();

        String envName = envSelector == null ? DEFAULT_ENV : String.valueOf(envSelector);
        Set<String> valid = new TreeSet<>(environments.presentKeys());
        if (valid.isEmpty()) {
            problems.add(new ConfigProblem(environments.path(), "no environment is defined; add one, e.g. \"dev\": {} "
                    + "(see README, Configuration)"));
            throw new ConfigException(problems);
        }
        if (!environments.presentKeys().contains(envName)) {
            problems.add(new ConfigProblem(ENV_CONTEXT_KEY, "unknown environment \"" + envName
                    + "\" (selected with -c env=" + envName + "); valid environments: " + String.join(", ", valid)));
            throw new ConfigException(problems);
        }
        delivery.ifPresent(d -> d.githubEnvironments().stream().filter(e -> !valid.contains(e)).forEach(e -> problems.add(
                new ConfigProblem(root.pathOf("delivery") + ".githubEnvironments", "\"" + e + "\" is not an environment of "
                        + "platform.environments: each GitHub environment gets the deploy role of the platform environment of "
                        + "the same name (valid: " + String.join(", ", valid) + ")"))));
        for (String name : valid) {
            if (!ENV_NAME.matcher(name).matches()) {
                problems.add(new ConfigProblem(environments.pathOf(name),
                        "environment names must be 1-12 characters: lowercase letters, digits and '-'"));
            }
        }
        // Every environment is validated on every synth: a mistake in prod fails the dev synth (and the pull
        // request that made it), not the prod deployment weeks later.
        PlatformConfig config = null;
        for (String name : valid) {
            PlatformConfig read = readEnvironment(project, name, environments.section(name), environment, problems, delivery);
            if (name.equals(envName)) {
                config = read;
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    private static PlatformConfig readEnvironment(String project, String envName, ConfigSection env,
                                                  Map<String, String> environment, List<ConfigProblem> problems,
                                                  Optional<DeliveryConfig> delivery) {
        boolean production = env.bool("production", false);
        Optional<String> account = Optional.ofNullable(env.string("account", null, ACCOUNT, "a 12-digit AWS account id"))
                .or(() -> Optional.ofNullable(environment.get("CDK_DEFAULT_ACCOUNT")));
        String configuredRegion = env.string("region", null, REGION, "an AWS region name such as eu-west-1");
        if (configuredRegion != null && !KnownRegions.NAMES.contains(configuredRegion)) {
            env.problem("region", "is not a region aws-cdk-lib knows (" + KnownRegions.NAMES.size() + " regions, e.g. "
                    + "eu-west-1, us-east-1), got \"" + configuredRegion + "\"");
        }
        Optional<String> region = Optional.ofNullable(configuredRegion)
                .or(() -> Optional.ofNullable(environment.get("CDK_DEFAULT_REGION")));
        RemovalMode removal = env.choice("removalPolicy", RemovalMode.RETAIN, RemovalMode.class);
        if (production && removal == RemovalMode.DESTROY) {
            env.problem("removalPolicy", "\"destroy\" is not allowed in an environment marked production "
                    + "(production: true); use \"retain\"");
        }
        Map<String, String> tags = env.stringMap("tags");
        tags.forEach((key, value) -> validateTag(env, key, value));
        NetworkConfig network = readNetwork(env.section("network"), account, region);
        DataLakeConfig dataLake = readDataLake(env.section("dataLake"));
        EmrConfig emr = readEmr(env.section("emr"));
        QueryConfig query = readQuery(env.section("query"));
        SchedulerConfig scheduler = readScheduler(env.section("scheduler"), production);
        MonitoringConfig monitoring = readMonitoring(env.section("monitoring"));
        env.rejectUnknownKeys();
        return new PlatformConfig(project, envName, production, account, region, removal, tags, network, dataLake, emr,
                query, scheduler, monitoring, delivery);
    }

    private static void validateTag(ConfigSection env, String key, String value) {
        String path = "tags." + key;
        if (RESERVED_TAGS.contains(key)) {
            env.problem(path, "is set by the platform itself; reserved tag keys: " + String.join(", ", new TreeSet<>(RESERVED_TAGS)));
        } else if (key.isEmpty() || key.length() > 128 || key.startsWith("aws:")) {
            env.problem(path, "tag keys must be 1-128 characters and must not start with \"aws:\"");
        } else if (value.length() > 256) {
            env.problem(path, "tag values must be at most 256 characters");
        }
    }

    private static NetworkConfig readNetwork(ConfigSection net, Optional<String> account, Optional<String> region) {
        boolean lookupPossible = account.isPresent() && region.isPresent();
        String cidrText = net.string("vpcCidr", DEFAULT_VPC_CIDR, ANY, "an IPv4 CIDR block");
        int azCount = net.integer("azCount", 2, 2, 6);
        List<String> azs = net.stringList("availabilityZones", AZ, "an availability zone name such as eu-west-1a",
                "availability zone names such as eu-west-1a");
        NatMode natMode = net.choice("natMode", NatMode.INSTANCE, NatMode.class);
        int natCount = net.integer("natCount", natMode == NatMode.INSTANCE ? 1 : azCount, 1, 6);
        int publicMask = net.integer("publicSubnetMask", 24, 16, 28);
        int privateMask = net.integer("privateSubnetMask", 20, 16, 28);
        int flowLogRetention = net.integer("flowLogRetentionDays", 30, 1, Integer.MAX_VALUE);
        net.rejectUnknownKeys();

        Optional<Ipv4Cidr> cidr = Ipv4Cidr.parse(cidrText);
        if (cidr.isEmpty()) {
            net.problem("vpcCidr", "must be an IPv4 CIDR block such as 10.40.0.0/16 (no host bits set), got \"" + cidrText + "\"");
        } else if (cidr.get().prefix() < 16 || cidr.get().prefix() > 24) {
            net.problem("vpcCidr", "prefix must be from /16 to /24 (the sizes a VPC accepts that still fit EMR subnets), got /"
                    + cidr.get().prefix());
        } else {
            long needed = azCount * ((1L << (32 - publicMask)) + (1L << (32 - privateMask)));
            if (needed > cidr.get().size()) {
                net.problem("vpcCidr", cidrText + " has " + cidr.get().size() + " addresses but " + azCount
                        + " AZs x (one /" + publicMask + " public + one /" + privateMask + " private subnet) need " + needed
                        + "; use a larger block or smaller publicSubnetMask/privateSubnetMask");
            }
        }
        if (natCount > azCount) {
            net.problem("natCount", "must be from 1 to azCount (" + azCount + "), got " + natCount);
        }
        if (!azs.isEmpty() && azs.size() != azCount) {
            net.problem("availabilityZones", "lists " + azs.size() + " zones but azCount is " + azCount
                    + "; list exactly azCount zones or leave it out");
        }
        if (new TreeSet<>(azs).size() != azs.size()) {
            net.problem("availabilityZones", "lists a zone twice: " + azs + "; each subnet pair needs its own zone");
        }
        region.ifPresent(r -> azs.stream().filter(az -> !az.matches(java.util.regex.Pattern.quote(r) + "[a-z]"))
                .forEach(az -> net.problem("availabilityZones", "zone " + az + " is not in the region " + r)));
        if (azs.isEmpty() && azCount > 2 && !lookupPossible) {
            net.problem("azCount", "more than 2 AZs needs explicit availabilityZones, or a known account and region "
                    + "(\"account\"/\"region\" or CDK_DEFAULT_ACCOUNT/CDK_DEFAULT_REGION) so the CDK CLI can look the "
                    + "zones up; an environment-agnostic stack only sees 2 AZs");
        }
        if (!LogRetention.allowedDays().contains(flowLogRetention)) {
            net.problem("flowLogRetentionDays", "must be one of the CloudWatch Logs retention values "
                    + LogRetention.allowedDays() + ", got " + flowLogRetention);
        }
        return new NetworkConfig(cidrText, azCount, azs, natMode, natCount, publicMask, privateMask, flowLogRetention);
    }

    private static QueryConfig readQuery(ConfigSection query) {
        int cutoff = query.integer("bytesScannedCutoffMb", 1000, QueryConfig.MIN_CUTOFF_MB, 1_000_000);
        int expiration = query.integer("resultsExpirationDays", 7, 1, 365);
        String firstRunDate = query.string("firstRunDate", "2025-09-01", ISO_DATE,
                "a date yyyy-MM-dd (the first run_date Athena projects)");
        if (firstRunDate != null && ISO_DATE.matcher(firstRunDate).matches()) {
            try {
                if (LocalDate.parse(firstRunDate).isAfter(LocalDate.now(ZoneOffset.UTC))) {
                    query.problem("firstRunDate", "must not be in the future (Athena projects dates from it to today), got \""
                            + firstRunDate + "\"");
                }
            } catch (DateTimeParseException e) {
                query.problem("firstRunDate", "must be a real date yyyy-MM-dd, got \"" + firstRunDate + "\"");
            }
        }
        query.rejectUnknownKeys();
        return new QueryConfig(cutoff, expiration, firstRunDate);
    }

    private static EmrConfig readEmr(ConfigSection emr) {
        String release = emr.string("releaseLabel", DEFAULT_EMR_RELEASE, RELEASE_LABEL,
                "an EMR 6.x or 7.x release label such as " + DEFAULT_EMR_RELEASE);
        String primary = instanceType(emr, "primaryInstanceType", "m7g.xlarge", "an EC2 instance type such as m7g.xlarge");
        String core = instanceType(emr, "coreInstanceType", "m7g.xlarge", "an EC2 instance type such as m7g.xlarge");
        int coreCount = emr.integer("coreInstanceCount", 2, 1, 50);
        boolean spotCore = emr.bool("spotCore", true);
        // EMR's AutoTerminationPolicy accepts 1 minute to 7 days.
        int idle = emr.integer("idleTimeoutMinutes", 30, 1, 7 * 24 * 60);
        boolean inTransit = emr.bool("inTransitEncryption", false);
        Optional<String> certificates = Optional.ofNullable(emr.string("tlsCertificatesKey", null, S3_KEY,
                "the key of a .zip of PEM certificates in the artifacts bucket, e.g. emr/tls/certs.zip"));
        int maxRejectPercent = emr.integer("maxRejectPercent", 5, 0, 100);
        emr.rejectUnknownKeys();
        if (inTransit && certificates.isEmpty()) {
            emr.problem("inTransitEncryption", "needs tlsCertificatesKey: EMR in-transit encryption requires PEM "
                    + "certificates (see README, EMR security configuration)");
        }
        return new EmrConfig(release, primary, core, coreCount, spotCore, idle, inTransit, certificates,
                maxRejectPercent);
    }

    private static MonitoringConfig readMonitoring(ConfigSection m) {
        List<String> emails = m.stringList("alarmEmails", EMAIL, "an e-mail address", "e-mail addresses");
        int cpu = m.integer("cpuPercent", 80, 1, 100);
        int memory = m.integer("memoryPercent", 90, 1, 100);
        int disk = m.integer("diskPercent", 85, 1, 100);
        if (m.raw("yarnMemoryAvailablePercent") != null) {
            m.problem("yarnMemoryAvailablePercent", "was removed: YARN memory runs low during normal Spark work, so the "
                    + "alarm fired on healthy jobs; the emr-apps-pending alarm reports clusters short of capacity. Delete the key");
        }
        int hdfs = m.integer("hdfsUtilizationPercent", 80, 1, 100);
        int rawGb = m.integer("rawBucketMaxGb", 1024, 1, Integer.MAX_VALUE);
        int rate = m.integer("guardRateMinutes", 10, 1, 1440);
        int idle = m.integer("guardMaxIdleMinutes", 30, 5, 10080);
        int age = m.integer("guardMaxAgeHours", 6, 1, 168);
        boolean dryRun = m.bool("guardDryRun", false);
        EmrAlarmScope emrScope = m.choice("emrAlarmScope", EmrAlarmScope.PLATFORM, EmrAlarmScope.class);
        m.rejectUnknownKeys();
        return new MonitoringConfig(emails, cpu, memory, disk, hdfs, rawGb, rate, idle, age, dryRun, emrScope);
    }

    private static DeliveryConfig readDelivery(ConfigSection d) {
        String repository = d.string("githubRepository", null, GITHUB_REPOSITORY, "a GitHub repository as owner/name");
        if (repository == null && !d.presentKeys().contains("githubRepository")) {
            d.problem("githubRepository", "is required when delivery is configured (owner/name of the repository)");
        }
        List<String> branches = d.stringList("deployBranches", GIT_REF_NAME, "a branch name", "branch names");
        List<String> environments = d.stringList("githubEnvironments", GIT_REF_NAME, "a GitHub environment name",
                "GitHub environment names");
        Optional<String> provider = Optional.ofNullable(d.string("oidcProviderArn", null, OIDC_PROVIDER_ARN,
                "the ARN of an IAM OIDC provider for token.actions.githubusercontent.com"));
        String qualifier = d.string("bootstrapQualifier", "hnb659fds", QUALIFIER, "a CDK bootstrap qualifier: 1-10 lowercase letters and digits");
        d.rejectUnknownKeys();
        return new DeliveryConfig(repository == null ? "" : repository, branches.isEmpty() ? List.of("main") : branches,
                environments.isEmpty() ? List.of("dev", "prod") : environments, provider, qualifier);
    }

    /** An instance type aws-cdk-lib knows (family and size), else a problem naming the key and the default. */
    private static String instanceType(ConfigSection section, String key, String defaultValue, String allowed) {
        String type = section.string(key, defaultValue, INSTANCE_TYPE, allowed);
        Optional<String> problem = InstanceTypes.problem(type);
        if (problem.isPresent()) {
            section.problem(key, problem.get() + ": must be " + allowed + ", got \"" + type + "\"");
            return defaultValue;
        }
        return type;
    }

    private static SchedulerConfig readScheduler(ConfigSection s, boolean production) {
        String type = instanceType(s, "instanceType", production ? "m7g.large" : "t4g.medium",
                "an EC2 instance type such as t4g.medium");
        boolean arm = InstanceTypes.arm64(type);
        String ami = s.string("amiSsmParameter", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-"
                + (arm ? "arm64" : "x86_64"), SSM_PARAMETER, "a public AWS SSM parameter path such as "
                + "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
        String airflow = s.string("airflowVersion", DEFAULT_AIRFLOW, AIRFLOW_VERSION, "an Airflow 3 version such as 3.3.2");
        String python = s.string("pythonVersion", "3.12", PYTHON_VERSION, "a Python version Airflow publishes constraints for: 3.10 to 3.13");
        int root = s.integer("rootVolumeGb", 30, 20, 1024);
        int data = s.integer("dataVolumeGb", 20, 10, 16384);
        SchedulerConfig.Database database = s.choice("database", SchedulerConfig.Database.LOCAL, SchedulerConfig.Database.class);
        String rdsType = instanceType(s, "rdsInstanceType", "t4g.micro", "an RDS instance class without the db. prefix, such as t4g.micro");
        int revision = s.integer("imageRevision", 1, 1, Integer.MAX_VALUE);
        // DLM keeps at most 1000 snapshots per schedule.
        int backupRetention = s.integer("backupRetentionDays", production ? 30 : 7, 1, 1000);
        if (database == SchedulerConfig.Database.RDS && s.raw("backupRetentionDays") != null) {
            s.problem("backupRetentionDays", "applies to the local metadata database (its EBS volume) only; with "
                    + "database: rds, RDS keeps its own automated backups (7 days)");
        }
        int timeout = s.integer("bootstrapTimeoutMinutes", 40, 10, 720);
        Optional<String> ui = Optional.ofNullable(s.string("uiAllowedCidr", null, ANY, "an IPv4 CIDR block"));
        Map<String, String> users = s.stringMap("airflowUsers");
        users.forEach((name, role) -> {
            if (!AIRFLOW_USER.matcher(name).matches() || name.equals("admin")) {
                s.problem("airflowUsers", "user name \"" + name + "\" must be 1 to 32 lower-case letters, digits, '.', '_' "
                        + "or '-', starting with a letter, and not admin (the break-glass user)");
            }
            if (!SchedulerConfig.AIRFLOW_ROLES.contains(role)) {
                s.problem("airflowUsers", "role of \"" + name + "\" must be one of " + String.join(" | ", SchedulerConfig.AIRFLOW_ROLES)
                        + ", got \"" + role + "\"");
            }
        });
        ConfigSection off = s.section("offHours");
        boolean offEnabled = off.bool("enabled", !production);
        String stop = off.string("stopCron", "cron(0 20 ? * MON-FRI *)", CRON, "an EventBridge Scheduler cron expression such as cron(0 20 ? * MON-FRI *)");
        String start = off.string("startCron", "cron(0 7 ? * MON-FRI *)", CRON, "an EventBridge Scheduler cron expression such as cron(0 7 ? * MON-FRI *)");
        String timezone = off.string("timezone", "UTC", TIMEZONE, "an IANA time zone such as Europe/Lisbon or UTC");
        off.rejectUnknownKeys();
        s.rejectUnknownKeys();
        for (String[] cron : new String[][] {{"stopCron", stop}, {"startCron", start}}) {
            if (CRON.matcher(cron[1]).matches()) {
                SchedulerCron.problem(cron[1]).ifPresent(p -> off.problem(cron[0], p + " (EventBridge Scheduler cron), got \""
                        + cron[1] + "\""));
            }
        }
        if (TIMEZONE.matcher(timezone).matches() && !java.time.ZoneId.getAvailableZoneIds().contains(timezone)) {
            off.problem("timezone", "must be an IANA time zone the JDK's time-zone database knows, such as Europe/Lisbon "
                    + "or UTC, got \"" + timezone + "\"");
        }
        if (arm != ami.contains("arm64")) {
            s.problem("amiSsmParameter", "is for " + (ami.contains("arm64") ? "arm64" : "x86_64") + " but instanceType "
                    + type + " is " + (arm ? "arm64 (Graviton)" : "x86_64") + "; use an image of the same architecture");
        }
        ui.ifPresent(cidr -> {
            Optional<Ipv4Cidr> parsed = Ipv4Cidr.parse(cidr);
            if (parsed.isEmpty()) {
                s.problem("uiAllowedCidr", "must be an IPv4 CIDR block such as 203.0.113.0/24, got \"" + cidr + "\"");
            } else if (parsed.get().prefix() < 8) {
                s.problem("uiAllowedCidr", "must be /8 or narrower (the Airflow UI must never be open to the internet), got " + cidr);
            }
        });
        Optional<SchedulerConfig.OffHours> offHours = offEnabled
                ? Optional.of(new SchedulerConfig.OffHours(stop, start, timezone)) : Optional.empty();
        return new SchedulerConfig(type, ami, airflow, python, root, data, database, rdsType, revision, timeout,
                backupRetention, ui, offHours, java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(users)));
    }

    private static DataLakeConfig readDataLake(ConfigSection lake) {
        int abortDays = lake.integer("abortIncompleteMultipartDays", 7, 1, Integer.MAX_VALUE);
        ConfigSection bucketsSection = lake.section("buckets");
        Map<BucketRole, BucketLifecycle> buckets = new EnumMap<>(BucketRole.class);
        for (BucketRole role : BucketRole.values()) {
            buckets.put(role, readLifecycle(bucketsSection.section(role.key()), role.defaults()));
        }
        bucketsSection.rejectUnknownKeys();
        lake.rejectUnknownKeys();
        return new DataLakeConfig(abortDays, buckets);
    }

    private static BucketLifecycle readLifecycle(ConfigSection b, BucketLifecycle defaults) {
        boolean tiering = b.bool("intelligentTiering", defaults.intelligentTiering());
        // With Intelligent-Tiering the fixed transitions are off unless set explicitly (which is an error).
        Integer iaDefault = tiering ? null : defaults.standardIaDays();
        Integer irDefault = tiering ? null : defaults.glacierIrDays();
        Integer ia = b.optionalInteger("standardIaDays", iaDefault, 1, Integer.MAX_VALUE);
        Integer ir = b.optionalInteger("glacierIrDays", irDefault, 1, Integer.MAX_VALUE);
        Integer expiration = b.optionalInteger("expirationDays", defaults.expirationDays(), 1, Integer.MAX_VALUE);
        int noncurrent = b.integer("noncurrentExpirationDays", defaults.noncurrentExpirationDays(), 1, Integer.MAX_VALUE);
        b.rejectUnknownKeys();

        if (tiering && (ia != null || ir != null)) {
            b.problem("intelligentTiering", "cannot be combined with standardIaDays/glacierIrDays "
                    + "(Intelligent-Tiering moves objects between tiers itself); set those to null or turn tiering off");
        }
        if (ia != null && ia < MIN_STANDARD_IA_DAYS) {
            b.problem("standardIaDays", "must be at least " + MIN_STANDARD_IA_DAYS
                    + " (S3 only moves objects to Standard-IA after 30 days), got " + ia);
        }
        if (ia != null && ir != null && ir < ia + MIN_DAYS_IN_STANDARD_IA) {
            b.problem("glacierIrDays", "must be at least " + MIN_DAYS_IN_STANDARD_IA
                    + " days later than standardIaDays (" + ia + "): a colder class must come after a warmer one "
                    + "and S3 keeps objects 30 days in Standard-IA; got " + ir);
        }
        Integer lastTransition = ir != null ? ir : ia;
        if (expiration != null && lastTransition != null && expiration <= lastTransition) {
            b.problem("expirationDays", "must be later than the last transition (day " + lastTransition
                    + "), got " + expiration);
        }
        return new BucketLifecycle(tiering, ia, ir, expiration, noncurrent);
    }
}

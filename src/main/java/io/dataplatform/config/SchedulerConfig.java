package io.dataplatform.config;

import java.util.Map;
import java.util.Optional;

/**
 * The Airflow instance of one environment.
 *
 * @param instanceType          EC2 instance type (aws-cdk-lib knows its family, size and architecture)
 * @param amiSsmParameter       public SSM parameter of the image, resolved once at launch only
 * @param airflowVersion        Apache Airflow version installed with its official constraints
 * @param pythonVersion         Python used for the Airflow venv (constraints are per Python)
 * @param rootVolumeGb          size of the encrypted gp3 root volume
 * @param dataVolumeGb          size of the encrypted gp3 volume holding PostgreSQL (retained)
 * @param database              where the metadata database runs: on the instance's data volume or in RDS
 * @param rdsInstanceType       RDS instance class when {@code database} is RDS, e.g. t4g.micro
 * @param imageRevision         bump to replace the instance on purpose (it then launches the newest AMI)
 * @param bootstrapTimeoutMinutes how long CloudFormation waits for a healthy Airflow
 * @param backupRetentionDays   daily snapshots of the data volume kept (local database only)
 * @param uiAllowedCidr         optional CIDR allowed to reach port 8080 (default: SSM only)
 * @param offHours              nightly stop / morning start, or empty for always on
 */
public record SchedulerConfig(
        String instanceType,
        String amiSsmParameter,
        String airflowVersion,
        String pythonVersion,
        int rootVolumeGb,
        int dataVolumeGb,
        Database database,
        String rdsInstanceType,
        int imageRevision,
        int bootstrapTimeoutMinutes,
        int backupRetentionDays,
        Optional<String> uiAllowedCidr,
        Optional<OffHours> offHours,
        Map<String, String> airflowUsers) {

    /** Airflow's own roles (FAB auth manager) a person's user may have. */
    public static final java.util.List<String> AIRFLOW_ROLES = java.util.List.of("Admin", "Op", "User", "Viewer");

    /** Whether the instance type is Graviton (arm64), as aws-cdk-lib says. */
    public boolean arm64() {
        return InstanceTypes.arm64(instanceType);
    }

    /** Where Airflow's metadata database runs. */
    public enum Database {
        /** PostgreSQL 16 on the instance, its data on a separate retained EBS volume: cheapest. */
        LOCAL,
        /** RDS for PostgreSQL 16: managed backups and patching, Multi-AZ in production. */
        RDS
    }

    /** EventBridge Scheduler expressions (cron(...)) and their time zone. */
    public record OffHours(String stopCron, String startCron, String timezone) {
    }
}

package io.dataplatform.config;

import java.util.Map;
import java.util.Optional;

/**
 * The validated, immutable configuration of one environment. Built only by {@link ConfigLoader}.
 *
 * @param project     name prefix of every stack (and so of every generated resource name)
 * @param envName     the environment, e.g. {@code dev}
 * @param production  marks an environment whose data must never be destroyed by a deploy
 * @param account     target account, from config or {@code CDK_DEFAULT_ACCOUNT}
 * @param region      target region, from config or {@code CDK_DEFAULT_REGION}
 * @param removal     what happens to stateful resources on delete
 * @param extraTags   tags added to every resource besides {@code Project} and {@code Environment}
 * @param emr         transient EMR clusters of the sample pipeline
 * @param query       Glue Data Catalog table and Athena workgroup over the curated zone
 * @param scheduler   the Airflow instance
 * @param monitoring  alarms, dashboard, EMR cluster guard
 * @param delivery    GitHub Actions access (once per account), if configured
 */
public record PlatformConfig(
        String project,
        String envName,
        boolean production,
        Optional<String> account,
        Optional<String> region,
        RemovalMode removal,
        Map<String, String> extraTags,
        NetworkConfig network,
        DataLakeConfig dataLake,
        EmrConfig emr,
        QueryConfig query,
        SchedulerConfig scheduler,
        MonitoringConfig monitoring,
        Optional<DeliveryConfig> delivery) {

    public PlatformConfig {
        extraTags = Map.copyOf(extraTags);
    }
}

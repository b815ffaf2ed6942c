package io.dataplatform.emr;

import io.dataplatform.config.EmrConfig;
import io.dataplatform.config.PlatformConfig;
import io.dataplatform.datalake.DataLakeBuckets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.Aws;

/**
 * The Airflow Variables the platform provides to DAGs (as {@code AIRFLOW_VAR_<NAME>} environment
 * variables on the scheduler): variable name to value (often a CloudFormation token). The sample
 * DAG reads only these; PipelineVariablesTest keeps the two sides from drifting.
 */
public final class PipelineVariables {
    private PipelineVariables() {
    }

    public static Map<String, String> of(PlatformConfig config, DataLakeBuckets buckets, EmrResources emr) {
        EmrConfig cluster = config.emr();
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("platform_project", config.project());
        vars.put("platform_environment", config.envName());
        vars.put("aws_region", Aws.REGION);
        vars.put("raw_bucket", buckets.raw().getBucketName());
        vars.put("curated_bucket", buckets.curated().getBucketName());
        vars.put("artifacts_bucket", buckets.artifacts().getBucketName());
        vars.put("logs_bucket", buckets.logs().getBucketName());
        vars.put("emr_log_uri", emr.logUri());
        vars.put("emr_release_label", cluster.releaseLabel());
        vars.put("emr_service_role", emr.serviceRole().getRoleName());
        vars.put("emr_instance_profile", emr.instanceProfile().getInstanceProfileName());
        vars.put("emr_autoscaling_role", emr.autoScalingRole().getRoleName());
        vars.put("emr_security_configuration", emr.securityConfigurationName());
        vars.put("emr_subnet_id", emr.privateSubnetIds().get(0));
        vars.put("emr_primary_sg", emr.primarySecurityGroup().getSecurityGroupId());
        vars.put("emr_core_sg", emr.coreSecurityGroup().getSecurityGroupId());
        vars.put("emr_service_access_sg", emr.serviceAccessSecurityGroup().getSecurityGroupId());
        vars.put("emr_primary_instance_type", cluster.primaryInstanceType());
        vars.put("emr_core_instance_type", cluster.coreInstanceType());
        vars.put("emr_core_instance_count", String.valueOf(cluster.coreInstanceCount()));
        vars.put("emr_core_market", cluster.spotCore() ? "SPOT" : "ON_DEMAND");
        vars.put("emr_idle_timeout_seconds", String.valueOf(cluster.idleTimeoutMinutes() * 60));
        vars.put("pipeline_max_reject_percent", String.valueOf(cluster.maxRejectPercent()));
        return vars;
    }

    /** {@code emr_log_uri} becomes {@code AIRFLOW_VAR_EMR_LOG_URI}. */
    public static String environmentVariable(String variable) {
        return "AIRFLOW_VAR_" + variable.toUpperCase(Locale.ROOT);
    }
}

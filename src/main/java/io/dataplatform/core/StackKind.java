package io.dataplatform.core;

/** The stacks of one environment, in deployment order. */
public enum StackKind {
    NETWORK("network", "VPC, subnets, NAT, S3 gateway endpoint and flow logs"),
    DATALAKE("datalake", "raw, curated, artifacts and logs buckets"),
    EMR("emr", "EMR roles, managed security groups, security configuration and the sample pipeline"),
    QUERY("query", "Glue Data Catalog tables of the curated zone, Athena workgroup and results, analyst policy"),
    SCHEDULER("scheduler", "Airflow on EC2: instance, role, data volume, secrets, off-hours schedule"),
    MONITORING("monitoring", "alarm topic, alarms, dashboard and the EMR cluster guard"),
    DELIVERY("delivery", "GitHub Actions OIDC access for CI/CD (once per account)");

    private final String key;
    private final String description;

    StackKind(String key, String description) {
        this.key = key;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String description() {
        return description;
    }
}

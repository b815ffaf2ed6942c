package io.dataplatform.scheduler;

import io.dataplatform.core.NagChecks;
import java.util.List;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.dlm.CfnLifecyclePolicy;
import software.amazon.awscdk.services.ec2.Volume;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * Daily snapshots of the Airflow data volume (the local metadata database) with Amazon Data
 * Lifecycle Manager: taken at {@value #SNAPSHOT_TIME} UTC, the newest {@code retention} kept, tagged
 * so the README's restore procedure finds them. Failures are alarmed on by the monitoring stack
 * ({@code SnapshotsCreateFailed}, namespace AWS/EBS, dimension DLMPolicyId).
 */
public final class DataVolumeBackup extends Construct {
    /** The volume, and every snapshot of it, carry this tag with the value {@link #tagValue}. */
    public static final String TAG = "DataPlatformBackup";
    static final String SNAPSHOT_TIME = "03:00";

    private final CfnLifecyclePolicy policy;

    public DataVolumeBackup(Construct scope, String id, Volume volume, String tagValue, int retention) {
        super(scope, id);
        Tags.of(volume).add(TAG, tagValue);
        Role role = Role.Builder.create(this, "Role")
                .description("Data Lifecycle Manager: snapshots of the Airflow data volume")
                // Confused-deputy guard: only this account's lifecycle policies assume the role.
                .assumedBy(new ServicePrincipal("dlm.amazonaws.com").withConditions(java.util.Map.of(
                        "StringEquals", java.util.Map.of("aws:SourceAccount", software.amazon.awscdk.Aws.ACCOUNT_ID),
                        "ArnLike", java.util.Map.of("aws:SourceArn", "arn:" + software.amazon.awscdk.Aws.PARTITION + ":dlm:"
                                + software.amazon.awscdk.Aws.REGION + ":" + software.amazon.awscdk.Aws.ACCOUNT_ID + ":policy/*"))))
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSDataLifecycleManagerServiceRole")))
                .build();
        NagChecks.acknowledge(role, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole]",
                "The policy AWS documents for Data Lifecycle Manager's snapshot policies; the lifecycle policy itself only targets "
                        + "volumes tagged " + TAG + "=" + tagValue + ".");
        NagChecks.acknowledge(role, "AwsSolutions-IAM5[Resource::*]",
                "In AWSDataLifecycleManagerServiceRole (AWS's managed policy): DLM's describe calls take no resource.");
        policy = CfnLifecyclePolicy.Builder.create(this, "Policy")
                // DLM accepts only [0-9A-Za-z _-] in a description (botocore dlm model; test/judges).
                .description("Daily snapshots of the Airflow data volume " + tagValue)
                .state("ENABLED")
                .executionRoleArn(role.getRoleArn())
                .policyDetails(CfnLifecyclePolicy.PolicyDetailsProperty.builder()
                        .policyType("EBS_SNAPSHOT_MANAGEMENT")
                        .resourceTypes(List.of("VOLUME"))
                        .targetTags(List.of(tag(TAG, tagValue)))
                        .schedules(List.of(CfnLifecyclePolicy.ScheduleProperty.builder()
                                .name("daily-" + retention)
                                .copyTags(true)
                                .createRule(CfnLifecyclePolicy.CreateRuleProperty.builder()
                                        .interval(24).intervalUnit("HOURS").times(List.of(SNAPSHOT_TIME)).build())
                                .retainRule(CfnLifecyclePolicy.RetainRuleProperty.builder().count(retention).build())
                                .build()))
                        .build())
                .build();
    }

    private static software.amazon.awscdk.CfnTag tag(String key, String value) {
        return software.amazon.awscdk.CfnTag.builder().key(key).value(value).build();
    }

    /** {@code Ref}: the policy id, the DLMPolicyId dimension of its metrics. */
    public String policyId() {
        return policy.getRef();
    }
}

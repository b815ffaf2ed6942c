package io.dataplatform.scheduler;

import io.dataplatform.core.NagChecks;
import io.dataplatform.config.SchedulerConfig;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.constructs.Construct;

/**
 * Stops the Airflow instance in the evening and starts it in the morning with EventBridge
 * Scheduler's universal EC2 targets: no Lambda. The data volume stays attached while stopped.
 */
public final class OffHoursSchedule extends Construct {
    /** Metric the schedules put: 1 when the instance is stopped for the night, 0 when it starts again. */
    public static final String OFF_HOURS_METRIC = "OffHours";

    /**
     * @param metricsNamespace where {@value #OFF_HOURS_METRIC} goes; the monitoring stack suppresses
     *                         the host's notifications while it is 1
     */
    public OffHoursSchedule(Construct scope, String id, SchedulerConfig.OffHours hours, String instanceId,
                            String metricsNamespace) {
        super(scope, id);
        Stack stack = Stack.of(this);
        String instanceArn = Arn.format(ArnComponents.builder().service("ec2").resource("instance")
                .resourceName(instanceId).build(), stack);
        Role role = Role.Builder.create(this, "Role")
                .description("EventBridge Scheduler: stop and start the Airflow instance off hours")
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com").withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()))))
                .build();
        role.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("StopAndStartTheAirflowInstance")
                .actions(List.of("ec2:StopInstances", "ec2:StartInstances"))
                .resources(List.of(instanceArn)).build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("MarkOffHoursInTheAirflowNamespaceOnly")
                .actions(List.of("cloudwatch:PutMetricData")).resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", metricsNamespace))).build());
        NagChecks.acknowledge(role, "AwsSolutions-IAM5[Resource::*]",
                "cloudwatch:PutMetricData supports no resource-level permissions; limited to the Airflow metrics namespace by condition.");
        String instances = "{\"InstanceIds\":[\"" + instanceId + "\"]}";
        schedule("Stop", "Stop the Airflow instance (off-hours schedule)", "ec2:stopInstances", instances,
                hours.stopCron(), hours.timezone(), role);
        schedule("Start", "Start the Airflow instance (off-hours schedule)", "ec2:startInstances", instances,
                hours.startCron(), hours.timezone(), role);
        schedule("MarkOffHours", "Mark the off hours: suppresses the Airflow host's alarm notifications",
                "cloudwatch:putMetricData", offHoursMetric(metricsNamespace, 1), hours.stopCron(), hours.timezone(), role);
        schedule("MarkOnHours", "Mark the end of the off hours", "cloudwatch:putMetricData",
                offHoursMetric(metricsNamespace, 0), hours.startCron(), hours.timezone(), role);
    }

    private static String offHoursMetric(String namespace, int value) {
        return "{\"Namespace\":\"" + namespace + "\",\"MetricData\":[{\"MetricName\":\"" + OFF_HOURS_METRIC
                + "\",\"Value\":" + value + ",\"Unit\":\"Count\"}]}";
    }

    /** An EventBridge Scheduler universal target: one AWS API call ({@code service:action}) with its input. */
    private void schedule(String id, String description, String apiCall, String input, String cron, String timezone,
                          Role role) {
        CfnSchedule.Builder.create(this, id)
                .description(description)
                .scheduleExpression(cron)
                .scheduleExpressionTimezone(timezone)
                .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
                .state("ENABLED")
                .target(CfnSchedule.TargetProperty.builder()
                        .arn("arn:" + Stack.of(this).getPartition() + ":scheduler:::aws-sdk:" + apiCall)
                        .roleArn(role.getRoleArn())
                        .input(input)
                        .retryPolicy(CfnSchedule.RetryPolicyProperty.builder().maximumRetryAttempts(3).build())
                        .build())
                .build();
    }
}

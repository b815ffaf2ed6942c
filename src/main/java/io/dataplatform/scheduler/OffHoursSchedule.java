package io.dataplatform.scheduler;

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
    public OffHoursSchedule(Construct scope, String id, SchedulerConfig.OffHours hours, String instanceId) {
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
        schedule("Stop", "stopInstances", hours.stopCron(), hours.timezone(), instanceId, role);
        schedule("Start", "startInstances", hours.startCron(), hours.timezone(), instanceId, role);
    }

    private void schedule(String id, String action, String cron, String timezone, String instanceId, Role role) {
        CfnSchedule.Builder.create(this, id)
                .description(id + " the Airflow instance (off-hours schedule)")
                .scheduleExpression(cron)
                .scheduleExpressionTimezone(timezone)
                .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
                .state("ENABLED")
                .target(CfnSchedule.TargetProperty.builder()
                        .arn("arn:" + Stack.of(this).getPartition() + ":scheduler:::aws-sdk:ec2:" + action)
                        .roleArn(role.getRoleArn())
                        .input("{\"InstanceIds\":[\"" + instanceId + "\"]}")
                        .retryPolicy(CfnSchedule.RetryPolicyProperty.builder().maximumRetryAttempts(3).build())
                        .build())
                .build();
    }
}

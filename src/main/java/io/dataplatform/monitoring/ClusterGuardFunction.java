package io.dataplatform.monitoring;

import io.dataplatform.config.LogRetention;
import io.dataplatform.config.MonitoringConfig;
import io.dataplatform.config.PlatformConfig;
import io.dataplatform.core.NagChecks;
import io.dataplatform.core.PlatformStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The EMR cluster guard (Java, lambda/): the newest Java runtime of aws-cdk-lib, arm64, one
 * concurrent execution, least privilege. Its artifact is built by the project's Maven build;
 * synthesis never builds it.
 */
public final class ClusterGuardFunction extends Construct {
    /** Written by maven-assembly at process-classes (mvn test and bin/cdk-app run it). */
    public static final Path ARTIFACT = Path.of("target/emr-cluster-guard.zip");
    public static final String HANDLER = "io.dataplatform.guard.ClusterGuardHandler::handleRequest";

    private final Function function;

    public ClusterGuardFunction(Construct scope, String id, PlatformConfig config, ITopic topic, IKey topicKey, String namespace) {
        super(scope, id);
        requireArtifact(ARTIFACT);
        MonitoringConfig m = config.monitoring();
        Stack stack = Stack.of(this);
        function = Function.Builder.create(this, "Function")
                .description("Terminates idle or too-old EMR clusters of " + config.project() + "/" + config.envName())
                .runtime(Runtime.JAVA_25)
                .architecture(Architecture.ARM_64)
                .handler(HANDLER)
                .code(Code.fromAsset(ARTIFACT.toString()))
                .memorySize(512)
                .timeout(Duration.minutes(2))
                // No reserved concurrency: it fails stack creation on accounts whose concurrency limit is Lambda's
                // unreserved minimum (10, common on new accounts); overlapping runs are harmless (idempotent terminations).
                .logGroup(LogGroup.Builder.create(this, "Logs").retention(LogRetention.of(30))
                        .removalPolicy(RemovalPolicy.DESTROY).build())
                .environment(Map.of(
                        "PROJECT", config.project(),
                        "ENVIRONMENT", config.envName(),
                        "MAX_IDLE_MINUTES", String.valueOf(m.guardMaxIdleMinutes()),
                        "MAX_AGE_HOURS", String.valueOf(m.guardMaxAgeHours()),
                        "DRY_RUN", String.valueOf(m.guardDryRun()),
                        "TOPIC_ARN", topic.getTopicArn(),
                        "METRIC_NAMESPACE", namespace))
                .build();
        String clusters = Arn.format(ArnComponents.builder().service("elasticmapreduce").resource("cluster").resourceName("*").build(), stack);
        function.addToRolePolicy(PolicyStatement.Builder.create().sid("ListClusters")
                .actions(List.of("elasticmapreduce:ListClusters")).resources(List.of("*")).build());
        function.addToRolePolicy(PolicyStatement.Builder.create().sid("DescribeClusters")
                .actions(List.of("elasticmapreduce:DescribeCluster", "elasticmapreduce:ListSteps")).resources(List.of(clusters)).build());
        function.addToRolePolicy(PolicyStatement.Builder.create().sid("TerminatePlatformClustersOnly")
                .actions(List.of("elasticmapreduce:TerminateJobFlows")).resources(List.of(clusters))
                .conditions(Map.of("StringEquals", Map.of("aws:ResourceTag/" + PlatformStack.TAG_PROJECT, config.project(),
                        "aws:ResourceTag/" + PlatformStack.TAG_ENVIRONMENT, config.envName()))).build());
        function.addToRolePolicy(PolicyStatement.Builder.create().sid("PublishSummary")
                .actions(List.of("sns:Publish")).resources(List.of(topic.getTopicArn())).build());
        function.addToRolePolicy(PolicyStatement.Builder.create().sid("EncryptForTheTopic")
                .actions(List.of("kms:GenerateDataKey", "kms:Decrypt")).resources(List.of(topicKey.getKeyArn())).build());
        function.addToRolePolicy(PolicyStatement.Builder.create().sid("PutGuardMetricOnly")
                .actions(List.of("cloudwatch:PutMetricData")).resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", namespace))).build());
        NagChecks.acknowledge(function.getRole(),
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                "Only lets the guard write its own CloudWatch logs.");
        NagChecks.acknowledge(function.getRole(), "AwsSolutions-IAM5[Resource::*]",
                "elasticmapreduce:ListClusters and cloudwatch:PutMetricData support no resource-level permissions; "
                        + "PutMetricData is limited to the guard's namespace by condition.");
        NagChecks.acknowledgeMatching(function.getRole(), "AwsSolutions-IAM5", "Resource::arn:.+:elasticmapreduce:.+:cluster/\\*",
                "Cluster ids are unknown in advance; TerminateJobFlows is limited to the platform's Project/Environment tags.");
    }

    /** Fails with what to run when the Lambda has not been built; synthesis never builds it. */
    static void requireArtifact(Path artifact) {
        if (!Files.isRegularFile(artifact)) {
            throw new MissingArtifactException("The EMR cluster guard Lambda is not built: " + artifact.toAbsolutePath()
                    + " is missing. Run `mvn -q process-classes` (or `mvn test`) first; bin/cdk-app does it for you.");
        }
    }

    public Function function() {
        return function;
    }

    /** The Lambda artifact has not been built. */
    public static final class MissingArtifactException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingArtifactException(String message) {
            super(message);
        }
    }
}

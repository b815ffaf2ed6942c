package io.dataplatform.scheduler;

import io.dataplatform.config.LogRetention;
import io.dataplatform.config.PlatformConfig;
import io.dataplatform.config.RemovalMode;
import io.dataplatform.core.NagChecks;
import io.dataplatform.core.PlatformStack;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.ssm.CfnDocument;
import software.constructs.Construct;

/**
 * Operators' access to the Airflow host, through Session Manager only, and on the record: a session
 * document of this environment (every shell session's transcript streamed to its own log group,
 * session data encrypted with its own KMS key, no run-as, idle sessions closed after 20 minutes) and a
 * customer managed policy to attach to operators (output OperatorPolicyArn): shells with that document
 * and port forwarding to the UI, on this environment's Airflow instance only (by its tags), ending or
 * resuming their own sessions only, and reading only their own Airflow user's password (the secret tagged
 * with their {@code AirflowUser} principal tag).
 */
public final class OperatorAccess extends Construct {
    /** AWS's port-forwarding session document, for the UI. */
    public static final String PORT_FORWARDING_DOCUMENT = "AWS-StartPortForwardingSession";
    /** Principal and secret tag that ties a person to their Airflow user. */
    public static final String AIRFLOW_USER_TAG = "AirflowUser";
    static final int TRANSCRIPT_RETENTION_DAYS = 365;

    private final String documentName;
    private final ManagedPolicy policy;

    public OperatorAccess(Construct scope, String id, PlatformConfig config, Role instanceRole, String instanceArn) {
        super(scope, id);
        RemovalPolicy removal = config.removal() == RemovalMode.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
        Key key = Key.Builder.create(this, "SessionKey")
                .description("Session Manager sessions to the Airflow host of " + config.project() + "-" + config.envName())
                .enableKeyRotation(true).removalPolicy(removal).build();
        LogGroup transcripts = LogGroup.Builder.create(this, "Transcripts")
                .retention(LogRetention.of(TRANSCRIPT_RETENTION_DAYS)).removalPolicy(removal).build();
        documentName = config.project() + "-" + config.envName() + "-airflow-sessions";
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("s3BucketName", "");
        inputs.put("s3KeyPrefix", "");
        inputs.put("s3EncryptionEnabled", true);
        inputs.put("cloudWatchLogGroupName", transcripts.getLogGroupName());
        // The log group is encrypted by CloudWatch Logs itself; "true" would require a KMS key on the group.
        inputs.put("cloudWatchEncryptionEnabled", false);
        inputs.put("cloudWatchStreamingEnabled", true);
        inputs.put("kmsKeyId", key.getKeyId());
        inputs.put("runAsEnabled", false);
        inputs.put("runAsDefaultUser", "");
        inputs.put("idleSessionTimeout", "20");
        inputs.put("maxSessionDuration", "");
        inputs.put("shellProfile", Map.of("windows", "", "linux", ""));
        CfnDocument.Builder.create(this, "SessionDocument")
                .name(documentName)
                .documentType("Session")
                .documentFormat("JSON")
                .updateMethod("NewVersion")
                .content(Map.of("schemaVersion", "1.0",
                        "description", "Shell on the Airflow host of " + config.project() + "-" + config.envName()
                                + ", transcribed to CloudWatch Logs and encrypted with its own key",
                        "sessionType", "Standard_Stream", "inputs", inputs))
                .build();

        // The SSM agent streams the transcript and decrypts the session data with the instance role.
        instanceRole.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("SessionTranscripts")
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"))
                .resources(List.of(transcripts.getLogGroupArn())).build());
        instanceRole.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("SessionTranscriptGroups")
                .actions(List.of("logs:DescribeLogGroups")).resources(List.of("*")).build());
        instanceRole.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("SessionEncryption")
                .actions(List.of("kms:Decrypt")).resources(List.of(key.getKeyArn())).build());
        NagChecks.acknowledge(instanceRole, "AwsSolutions-IAM5[Resource::*]",
                "logs:DescribeLogGroups supports no resource type; the SSM agent checks the transcript group with it.");

        String region = ":" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
        String ssm = "arn:" + Aws.PARTITION + ":ssm";
        policy = ManagedPolicy.Builder.create(this, "Policy")
                .managedPolicyName(config.project() + "-" + config.envName() + "-airflow-operators-" + Aws.REGION)
                .description("Session Manager to the " + config.project() + "-" + config.envName() + " Airflow host, on the record")
                .statements(List.of(
                        PolicyStatement.Builder.create().sid("SessionsToThisAirflowHost")
                                .actions(List.of("ssm:StartSession")).resources(List.of(instanceArn))
                                .conditions(Map.of("StringEquals", Map.of(
                                        "ssm:resourceTag/" + PlatformStack.TAG_PROJECT, config.project(),
                                        "ssm:resourceTag/" + PlatformStack.TAG_ENVIRONMENT, config.envName(),
                                        "ssm:resourceTag/" + AirflowRole.INSTANCE_ROLE_TAG, AirflowRole.INSTANCE_ROLE_VALUE),
                                        "BoolIfExists", Map.of("ssm:SessionDocumentAccessCheck", "true")))
                                .build(),
                        PolicyStatement.Builder.create().sid("TranscribedShellOrUiPortForwarding")
                                .actions(List.of("ssm:StartSession"))
                                .resources(List.of(ssm + region + "document/" + documentName,
                                        ssm + ":" + Aws.REGION + "::document/" + PORT_FORWARDING_DOCUMENT))
                                .conditions(Map.of("BoolIfExists", Map.of("ssm:SessionDocumentAccessCheck", "true")))
                                .build(),
                        PolicyStatement.Builder.create().sid("HostConnectionStatus")
                                .actions(List.of("ssm:GetConnectionStatus")).resources(List.of(instanceArn)).build(),
                        PolicyStatement.Builder.create().sid("OwnSessionsOnly")
                                .actions(List.of("ssm:TerminateSession", "ssm:ResumeSession"))
                                .resources(List.of(ssm + region + "session/${aws:userid}-*")).build(),
                        PolicyStatement.Builder.create().sid("EncryptOwnSessions")
                                .actions(List.of("kms:GenerateDataKey")).resources(List.of(key.getKeyArn())).build(),
                        PolicyStatement.Builder.create().sid("OwnAirflowUserPassword")
                                .actions(List.of("secretsmanager:GetSecretValue"))
                                .resources(List.of("arn:" + Aws.PARTITION + ":secretsmanager" + region + "secret:*"))
                                .conditions(Map.of("StringEquals", Map.of(
                                        "aws:ResourceTag/" + AIRFLOW_USER_TAG, "${aws:PrincipalTag/" + AIRFLOW_USER_TAG + "}",
                                        "aws:ResourceTag/" + PlatformStack.TAG_PROJECT, config.project(),
                                        "aws:ResourceTag/" + PlatformStack.TAG_ENVIRONMENT, config.envName())))
                                .build(),
                        PolicyStatement.Builder.create().sid("SeeSessionsAndTheHost")
                                .actions(List.of("ssm:DescribeSessions", "ssm:DescribeInstanceInformation",
                                        "ec2:DescribeInstances"))
                                .resources(List.of("*")).build()))
                .build();
        NagChecks.acknowledgeMatching(policy, "AwsSolutions-IAM5", "Resource::\\*",
                "ssm:DescribeSessions, ssm:DescribeInstanceInformation and ec2:DescribeInstances "
                        + "support no resource type (listing only).");
        NagChecks.acknowledgeMatching(policy, "AwsSolutions-IAM5", "Resource::arn:.+:ssm:.+:session/<aws:userid>-\\*",
                "Session ids start with the caller's user id: each operator ends or resumes only their own sessions.");
        NagChecks.acknowledgeMatching(policy, "AwsSolutions-IAM5", "Resource::arn:.+:secretsmanager:.+:secret:\\*",
                "Only secrets tagged with this environment and the caller's own AirflowUser principal tag: each person reads only their own Airflow user's password.");
    }

    public String documentName() {
        return documentName;
    }

    public String policyArn() {
        return policy.getManagedPolicyArn();
    }
}

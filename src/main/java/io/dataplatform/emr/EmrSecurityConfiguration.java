package io.dataplatform.emr;

import io.dataplatform.config.EmrConfig;
import io.dataplatform.config.RemovalMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.emr.CfnSecurityConfiguration;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The EMR security configuration every cluster of the platform uses: at-rest encryption of S3
 * data (SSE-S3, as the buckets) and of local disks and EBS volumes (with a KMS key of this
 * stack), IMDSv2 on every node, and in-transit TLS when config turns it on.
 */
public final class EmrSecurityConfiguration extends Construct {
    /** KMS actions the service role needs to encrypt EBS volumes, and the nodes need for local disks. */
    static final List<String> KEY_USER_ACTIONS = List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom",
            "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey");

    private final CfnSecurityConfiguration configuration;
    private final Key diskKey;

    public EmrSecurityConfiguration(Construct scope, String id, EmrConfig emr, RemovalMode removal,
                                    IRole serviceRole, IRole ec2Role, IBucket artifacts) {
        super(scope, id);
        diskKey = Key.Builder.create(this, "LocalDiskKey")
                .description("EMR local disk and EBS encryption of transient clusters")
                .enableKeyRotation(true)
                .removalPolicy(removal == RemovalMode.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
                .pendingWindow(Duration.days(removal == RemovalMode.DESTROY ? 7 : 30))
                .build();
        diskKey.grant(ec2Role, KEY_USER_ACTIONS.toArray(String[]::new));
        diskKey.grant(serviceRole, KEY_USER_ACTIONS.toArray(String[]::new));
        // EBS attaches encrypted volumes through grants, only for AWS resources.
        serviceRole.addToPrincipalPolicy(software.amazon.awscdk.services.iam.PolicyStatement.Builder.create()
                .sid("CreateGrantsForEbsEncryption").actions(List.of("kms:CreateGrant"))
                .resources(List.of(diskKey.getKeyArn()))
                .conditions(Map.of("Bool", Map.of("kms:GrantIsForAWSResource", true))).build());

        configuration = CfnSecurityConfiguration.Builder.create(this, "Resource")
                .securityConfiguration(document(emr, diskKey.getKeyArn(), artifacts.getBucketName()))
                .build();
    }

    static Map<String, Object> document(EmrConfig emr, String keyArn, String artifactsBucket) {
        Map<String, Object> encryption = new LinkedHashMap<>();
        encryption.put("EnableInTransitEncryption", emr.inTransitEncryption());
        encryption.put("EnableAtRestEncryption", true);
        encryption.put("AtRestEncryptionConfiguration", Map.of(
                "S3EncryptionConfiguration", Map.of("EncryptionMode", "SSE-S3"),
                "LocalDiskEncryptionConfiguration", Map.of(
                        "EncryptionKeyProviderType", "AwsKms",
                        "AwsKmsKey", keyArn,
                        "EnableEbsEncryption", true)));
        emr.tlsCertificatesKey().filter(k -> emr.inTransitEncryption()).ifPresent(key -> encryption.put(
                "InTransitEncryptionConfiguration", Map.of("TLSCertificateConfiguration", Map.of(
                        "CertificateProviderType", "PEM",
                        "S3Object", "s3://" + artifactsBucket + "/" + key))));
        return Map.of(
                "EncryptionConfiguration", encryption,
                "InstanceMetadataServiceConfiguration", Map.of(
                        "MinimumInstanceMetadataServiceVersion", 2,
                        "HttpPutResponseHopLimit", 2));
    }

    /** The name clusters reference ({@code SecurityConfiguration} in RunJobFlow). */
    public String name() {
        return configuration.getRef();
    }

    public Key diskKey() {
        return diskKey;
    }
}

package io.dataplatform.datalake;

import static io.dataplatform.support.Json.list;
import static io.dataplatform.support.Json.map;
import static io.dataplatform.support.Json.properties;
import static io.dataplatform.support.Json.resources;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.config.BucketLifecycle;
import io.dataplatform.support.Synth;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.s3.LifecycleRule;

class DataLakeStackTest {
    static final String RAW = "RawBucket672A0DBB";
    static final String CURATED = "CuratedBucket90F6C1E7";
    static final String ARTIFACTS = "ArtifactsBucket88671897";
    static final String LOGS = "LogsBucket5C52C3D2";
    static final List<String> ALL = List.of(RAW, CURATED, ARTIFACTS, LOGS);

    private static Template template(String env) {
        return Synth.fixture(env).dataLake();
    }

    private static Map<String, Object> bucket(Template t, String logicalId) {
        return properties(resources(t, "AWS::S3::Bucket").get(logicalId));
    }

    private static Map<String, Map<String, Object>> rulesById(Template t, String logicalId) {
        Map<String, Object> lifecycle = map(bucket(t, logicalId).get("LifecycleConfiguration"));
        return list(lifecycle.get("Rules")).stream().map(r -> map(r))
                .collect(Collectors.toMap(r -> String.valueOf(r.get("Id")), r -> r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyBucketIsEncryptedPrivateOwnerEnforcedAndVersioned(String env) {
        Template t = template(env);
        assertThat(resources(t, "AWS::S3::Bucket").keySet()).containsExactlyInAnyOrderElementsOf(ALL);
        for (String id : ALL) {
            Map<String, Object> b = bucket(t, id);
            assertThat(b.get("BucketEncryption")).as(id).isEqualTo(Map.of("ServerSideEncryptionConfiguration",
                    List.of(Map.of("BucketKeyEnabled", false, "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))));
            assertThat(b.get("PublicAccessBlockConfiguration")).as(id).isEqualTo(Map.of("BlockPublicAcls", true,
                    "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
            assertThat(b.get("OwnershipControls")).as(id).isEqualTo(Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))));
            assertThat(b.get("VersioningConfiguration")).as(id).isEqualTo(Map.of("Status", "Enabled"));
            assertThat(b).as(id + " must not hard-code a global name").doesNotContainKey("BucketName");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyBucketPolicyDeniesRequestsWithoutTls(String env) {
        Template t = template(env);
        for (String id : ALL) {
            t.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                    "Bucket", Map.of("Ref", id),
                    "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                            Match.objectLike(Map.of("Effect", "Deny", "Action", "s3:*", "Principal", Map.of("AWS", "*"),
                                    "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                            Match.objectLike(Map.of("Effect", "Deny", "Action", "s3:*",
                                    "Condition", Map.of("NumericLessThan", Map.of("s3:TlsVersion", 1.2))))))))));
        }
    }

    @Test
    void serverAccessLogsGoToTheLogsBucketExceptForItself() {
        Template t = template("dev");
        for (String id : List.of(RAW, CURATED, ARTIFACTS)) {
            String role = id.substring(0, id.indexOf("Bucket")).toLowerCase(java.util.Locale.ROOT);
            assertThat(bucket(t, id).get("LoggingConfiguration")).as(id).isEqualTo(Map.of(
                    "DestinationBucketName", Map.of("Ref", LOGS), "LogFilePrefix", "s3-access-logs/" + role + "/"));
        }
        assertThat(bucket(t, LOGS)).doesNotContainKey("LoggingConfiguration");
        t.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("Bucket", Map.of("Ref", LOGS),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow", "Action", "s3:PutObject",
                        "Principal", Map.of("Service", "logging.s3.amazonaws.com"),
                        "Condition", Match.objectLike(Map.of("StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId"))))))))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyBucketAbortsIncompleteMultipartUploadsAfterSevenDays(String env) {
        for (String id : ALL) {
            assertThat(rulesById(template(env), id).get("abort-incomplete-multipart-uploads"))
                    .as(id).containsEntry("AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 7));
        }
    }

    @Test
    void rawMovesToStandardIaThenGlacierInstantRetrieval() {
        Map<String, Map<String, Object>> rules = rulesById(template("dev"), RAW);
        assertThat(rules.get("transition-current-versions").get("Transitions")).isEqualTo(List.of(
                Map.of("StorageClass", "STANDARD_IA", "TransitionInDays", 30),
                Map.of("StorageClass", "GLACIER_IR", "TransitionInDays", 90)));
        assertThat(rules.get("expire-noncurrent-versions")).containsEntry("NoncurrentVersionExpiration", Map.of("NoncurrentDays", 30));
        assertThat(rules).doesNotContainKey("expire-current-versions");
    }

    @Test
    void curatedMovesToStandardIaAtNinetyDays() {
        Map<String, Map<String, Object>> rules = rulesById(template("dev"), CURATED);
        assertThat(rules.get("transition-current-versions").get("Transitions")).isEqualTo(List.of(
                Map.of("StorageClass", "STANDARD_IA", "TransitionInDays", 90)));
        assertThat(rules.get("expire-noncurrent-versions")).containsEntry("NoncurrentVersionExpiration", Map.of("NoncurrentDays", 30));
    }

    @Test
    void artifactsKeepNoncurrentVersionsForSevenDaysOnly() {
        Map<String, Map<String, Object>> rules = rulesById(template("dev"), ARTIFACTS);
        assertThat(rules.keySet()).containsExactlyInAnyOrder("abort-incomplete-multipart-uploads", "expire-noncurrent-versions");
        assertThat(rules.get("expire-noncurrent-versions")).containsEntry("NoncurrentVersionExpiration", Map.of("NoncurrentDays", 7))
                .containsEntry("ExpiredObjectDeleteMarker", true);
    }

    @Test
    void logsExpireAfterNinetyDays() {
        Map<String, Map<String, Object>> rules = rulesById(template("dev"), LOGS);
        assertThat(rules.get("expire-current-versions")).containsEntry("ExpirationInDays", 90);
        assertThat(rules).doesNotContainKey("transition-current-versions");
    }

    @Test
    void intelligentTieringReplacesTheFixedTransitions() {
        List<LifecycleRule> rules = DataLakeBucket.lifecycleRules(new BucketLifecycle(true, null, null, null, 30), 7);
        LifecycleRule transitions = rules.stream().filter(r -> "transition-current-versions".equals(r.getId())).findFirst().orElseThrow();
        assertThat(transitions.getTransitions()).singleElement().satisfies(tr -> {
            assertThat(tr.getStorageClass().getValue()).isEqualTo("INTELLIGENT_TIERING");
            assertThat(tr.getTransitionAfter().toDays()).isEqualTo(0);
        });
    }

    @Test
    void devDestroysBucketsAndEmptiesThemFirst() {
        Template t = template("dev");
        for (String id : ALL) {
            t.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Delete", "UpdateReplacePolicy", "Delete",
                    "Properties", Match.objectLike(Map.of("Tags", Match.arrayWith(List.of(
                            Map.of("Key", "aws-cdk:auto-delete-objects", "Value", "true")))))));
        }
        t.resourceCountIs("Custom::S3AutoDeleteObjects", 4);
    }

    @Test
    void prodRetainsBucketsAndNeverEmptiesThem() {
        Template t = template("prod");
        Map<String, Map<String, Object>> buckets = resources(t, "AWS::S3::Bucket");
        buckets.forEach((id, b) -> {
            assertThat(b.get("DeletionPolicy")).as(id).isEqualTo("Retain");
            assertThat(b.get("UpdateReplacePolicy")).as(id).isEqualTo("Retain");
        });
        t.resourceCountIs("Custom::S3AutoDeleteObjects", 0);
    }

    @Test
    void bucketNamesAndArnsAreStackOutputs() {
        Template t = template("dev");
        for (String role : List.of("Raw", "Curated", "Artifacts", "Logs")) {
            String id = ALL.stream().filter(b -> b.startsWith(role)).findFirst().orElseThrow();
            t.hasOutput(role + "BucketName", Map.of("Value", Map.of("Ref", id)));
            t.hasOutput(role + "BucketArn", Map.of("Value", Map.of("Fn::GetAtt", List.of(id, "Arn"))));
        }
    }

    @Test
    void laterStacksGetTheBucketsAsTypedProps() {
        DataLakeBuckets buckets = Synth.fixture("dev").platform().dataLake().buckets();
        assertThat(buckets.raw().getNode().getPath()).isEqualTo("dataplat-dev-datalake/Raw/Bucket");
        assertThat(buckets.logs().getNode().getPath()).isEqualTo("dataplat-dev-datalake/Logs/Bucket");
    }
}

package io.dataplatform.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataplatform.support.Synth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.s3.Bucket;

class DestructiveChangeGateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A small app: one bucket and one alarm, with the bucket's construct id and the threshold given. */
    private static Map<String, JsonNode> synth(String bucketId, double threshold) {
        App app = new App();
        Stack stack = new Stack(app, "Data");
        Bucket.Builder.create(stack, bucketId).removalPolicy(RemovalPolicy.DESTROY).build();
        Alarm.Builder.create(stack, "RawTooBig").threshold(threshold).evaluationPeriods(1)
                .metric(Metric.Builder.create().namespace("AWS/S3").metricName("BucketSizeBytes").build()).build();
        return Map.of("Data", JSON.valueToTree(Template.fromStack(stack).toJSON()));
    }

    @Test
    void aRenamedBucketConstructFailsTheGate() {
        List<DestructiveChangeGate.Finding> findings = DestructiveChangeGate.compare(synth("Raw", 80), synth("RawData", 80));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo("AWS::S3::Bucket");
            assertThat(f.logicalId()).startsWith("Raw");
            assertThat(f.change()).contains("renamed or removed construct").contains("would be DELETED");
        });
    }

    @Test
    void anAlarmThresholdChangePassesTheGate() {
        assertThat(DestructiveChangeGate.compare(synth("Raw", 80), synth("Raw", 90))).isEmpty();
    }

    private static Map<String, JsonNode> platform(String env, Consumer<Map<String, JsonNode>> change) {
        Map<String, JsonNode> templates = new TreeMap<>();
        Synth.fixture(env).templatesByStack().forEach((name, t) -> templates.put(name, JSON.valueToTree(t.toJSON())));
        change.accept(templates);
        return templates;
    }

    @Test
    void theShippedPlatformPassesAgainstItself() {
        assertThat(DestructiveChangeGate.compare(platform("prod", t -> { }), platform("prod", t -> { }))).isEmpty();
    }

    @Test
    void replacementPropertiesOfStatefulResourcesAreCaught() {
        // Which property replaces a resource is the cdk diff engine's answer (CloudFormation registry schemas):
        // a bucket's name and an instance's zone are create-only.
        Map<String, JsonNode> changed = platform("prod", t -> {
            ((ObjectNode) t.get("datalake").path("Resources").path("RawBucket672A0DBB").path("Properties"))
                    .put("BucketName", "raw-renamed");
            t.get("scheduler").path("Resources").fields().forEachRemaining(e -> {
                if ("AWS::EC2::Instance".equals(e.getValue().path("Type").asText())) {
                    ((ObjectNode) e.getValue().path("Properties")).put("AvailabilityZone", "eu-west-1b");
                }
            });
        });
        assertThat(DestructiveChangeGate.compare(platform("prod", t -> { }), changed)).extracting(Object::toString)
                .containsExactlyInAnyOrder(
                        "datalake/RawBucket672A0DBB (AWS::S3::Bucket): would be REPLACED: BucketName changes from (unset) to \"raw-renamed\"",
                        "scheduler/InstanceC1063A87b40cc0a6a3c30d87 (AWS::EC2::Instance): would be REPLACED: AvailabilityZone changes from "
                                + JSON.valueToTree(Synth.fixture("prod").scheduler().toJSON()).path("Resources")
                                .path("InstanceC1063A87b40cc0a6a3c30d87").path("Properties").path("AvailabilityZone")
                                + " to \"eu-west-1b\"");
    }

    @Test
    void aRemovedStackOrphansRetainedResourcesAndIsReported() {
        Map<String, JsonNode> withoutScheduler = platform("prod", t -> t.remove("scheduler"));
        assertThat(DestructiveChangeGate.compare(platform("prod", t -> { }), withoutScheduler))
                .extracting(DestructiveChangeGate.Finding::logicalId)
                .contains("DataVolume175940C2", "SecretsAdminPasswordA3C880B6", "SecretsKeys52995371")
                .allSatisfy(id -> assertThat(id).isNotNull());
    }

    @Test
    void replacingTheAirflowInstanceOnPurposeIsReportedForApproval() {
        // What bumping scheduler.imageRevision does to the template: the instance's logical id changes.
        Map<String, JsonNode> bumped = platform("prod", t -> {
            ObjectNode resources = (ObjectNode) t.get("scheduler").path("Resources");
            List<String> instances = new java.util.ArrayList<>();
            resources.fields().forEachRemaining(e -> {
                if ("AWS::EC2::Instance".equals(e.getValue().path("Type").asText())) {
                    instances.add(e.getKey());
                }
            });
            String instance = instances.get(0);
            resources.set(instance + "2", resources.remove(instance));
        });
        assertThat(DestructiveChangeGate.compare(platform("prod", t -> { }), bumped))
                .singleElement().satisfies(f -> assertThat(f.type()).isEqualTo("AWS::EC2::Instance"));
    }

    private static Map<String, JsonNode> copy(Map<String, JsonNode> templates) {
        Map<String, JsonNode> copy = new TreeMap<>();
        templates.forEach((k, v) -> copy.put(k, v.deepCopy()));
        return copy;
    }

    @Test
    void removingAnyStatefulResourceOfTheShippedPlatformFailsTheGate() {
        Map<String, JsonNode> release = platform("prod", t -> { });
        Map<String, JsonNode> stripped = copy(release);
        List<String> removed = new java.util.ArrayList<>();
        stripped.forEach((stack, template) -> {
            ObjectNode resources = (ObjectNode) template.path("Resources");
            List<String> ids = new java.util.ArrayList<>();
            resources.fields().forEachRemaining(e -> {
                if (DestructiveChangeGate.STATEFUL.contains(e.getValue().path("Type").asText())) {
                    ids.add(e.getKey());
                }
            });
            ids.forEach(resources::remove);
            ids.forEach(id -> removed.add(stack + "/" + id));
        });
        assertThat(removed).hasSizeGreaterThan(10);
        assertThat(DestructiveChangeGate.compare(release, stripped))
                .extracting(f -> f.stack() + "/" + f.logicalId()).containsExactlyInAnyOrderElementsOf(removed);
    }

    @Test
    void aSecurityGroupDescriptionChangeReplacesTheGroupAndTheAirflowInstanceThatUsesIt() {
        // The engine follows the reference: a replaced group replaces the instance using it.
        Map<String, JsonNode> changed = platform("prod", t -> t.get("scheduler").path("Resources").fields().forEachRemaining(e -> {
            if ("AWS::EC2::SecurityGroup".equals(e.getValue().path("Type").asText())) {
                ((ObjectNode) e.getValue().path("Properties")).put("GroupDescription", "changed");
            }
        }));
        DestructiveChangeGate.Judgement judgement = DestructiveChangeGate.judge(platform("prod", t -> { }), changed);
        assertThat(judgement.reported()).extracting(DestructiveChangeGate.Finding::type).contains("AWS::EC2::SecurityGroup");
        assertThat(judgement.failing()).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo("AWS::EC2::Instance");
            assertThat(f.change()).startsWith("would be REPLACED");
        });
    }

    @Test
    void theNatInstanceIsDisruptiveNotStateful() {
        Map<String, JsonNode> changed = platform("dev", t -> t.get("network").path("Resources").fields().forEachRemaining(e -> {
            if ("AWS::EC2::Instance".equals(e.getValue().path("Type").asText())) {
                ((ObjectNode) e.getValue().path("Properties")).put("AvailabilityZone", "eu-west-1c");
            }
        }));
        DestructiveChangeGate.Judgement judgement = DestructiveChangeGate.judge(platform("dev", t -> { }), changed);
        assertThat(judgement.failing()).isEmpty();
        assertThat(judgement.reported()).singleElement().satisfies(f -> assertThat(f.change()).contains("AvailabilityZone"));
    }

    @Test
    void aReplacedLogGroupOrSecretFailsTheGate() {
        Map<String, JsonNode> changed = platform("prod", t -> t.values().forEach(template -> template.path("Resources").fields()
                .forEachRemaining(e -> {
                    String type = e.getValue().path("Type").asText();
                    if ("AWS::Logs::LogGroup".equals(type)) {
                        ((ObjectNode) e.getValue().path("Properties")).put("LogGroupName", "renamed-" + e.getKey());
                    } else if ("AWS::SecretsManager::Secret".equals(type)) {
                        ((ObjectNode) e.getValue().path("Properties")).put("Name", "renamed-" + e.getKey());
                    }
                })));
        assertThat(DestructiveChangeGate.compare(platform("prod", t -> { }), changed)).isNotEmpty()
                .allSatisfy(f -> assertThat(f.change()).startsWith("would be REPLACED"))
                .extracting(DestructiveChangeGate.Finding::type).contains("AWS::Logs::LogGroup", "AWS::SecretsManager::Secret");
    }

    /** One stack per type (named after it), each holding one resource {@code logicalId} of that type (or of {@code as}). */
    private static Map<String, JsonNode> stackPerType(java.util.Set<String> types, String logicalId, String as) {
        Map<String, JsonNode> stacks = new TreeMap<>();
        for (String type : types) {
            ObjectNode template = JSON.createObjectNode();
            template.putObject("Resources").putObject(logicalId).put("Type", as == null ? type : as).putObject("Properties");
            stacks.put(type.replace("::", "-"), template);
        }
        return stacks;
    }

    @Test
    void everyStatefulTypeIsCaughtWhenDeletedOrReplacedAndDisruptiveTypesAreOnlyReported() {
        // One engine run per question, every type at once (a stack each).
        java.util.Set<String> stateful = DestructiveChangeGate.STATEFUL;
        Map<String, JsonNode> before = stackPerType(stateful, "Store", null);
        assertThat(DestructiveChangeGate.compare(before, stackPerType(stateful, "Renamed", null))).as("renamed")
                .hasSize(stateful.size()).allSatisfy(f -> assertThat(f.logicalId()).isEqualTo("Store"))
                .extracting(DestructiveChangeGate.Finding::type).containsExactlyInAnyOrderElementsOf(stateful);
        assertThat(DestructiveChangeGate.compare(before, stackPerType(stateful, "Store", "AWS::SNS::Topic"))).as("retyped")
                .hasSize(stateful.size())
                .allSatisfy(f -> assertThat(f.change()).isEqualTo("type changes to AWS::SNS::Topic: replaced"))
                .extracting(DestructiveChangeGate.Finding::type).containsExactlyInAnyOrderElementsOf(stateful);
        java.util.Set<String> disruptive = DestructiveChangeGate.DISRUPTIVE;
        DestructiveChangeGate.Judgement judgement = DestructiveChangeGate.judge(stackPerType(disruptive, "Net", null),
                stackPerType(disruptive, "Net2", null));
        assertThat(judgement.failing()).isEmpty();
        assertThat(judgement.reported()).extracting(DestructiveChangeGate.Finding::type).containsExactlyInAnyOrderElementsOf(disruptive);
    }
}

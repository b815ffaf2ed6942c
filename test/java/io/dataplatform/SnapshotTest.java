package io.dataplatform;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.Synth;
import io.dataplatform.support.Snapshots;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** One snapshot per stack per shipped environment; see Snapshots for the update switch. */
class SnapshotTest {

    @TestFactory
    List<DynamicTest> everyStackMatchesItsSnapshot() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String env : List.of("dev", "prod")) {
            Synth.shipped(env).templatesByStack().forEach((stack, template) -> tests.add(DynamicTest.dynamicTest(
                    env + "/" + stack, () -> assertThat(Snapshots.compare(env, stack, template.toJSON())).as(env + "/" + stack).isEmpty())));
        }
        return tests;
    }

    @Test
    void assetHashesAreNormalized() {
        String hash = "a".repeat(64);
        assertThat(Snapshots.normalize(java.util.Map.of("S3Key", hash + ".zip")).get("S3Key").asText())
                .isEqualTo("<asset-hash>.zip");
    }

    @Test
    void aChangedTemplateFailsWithTheDifferingPaths() {
        var template = new java.util.LinkedHashMap<>(Synth.shipped("dev").dataLake().toJSON());
        @SuppressWarnings("unchecked")
        var outputs = new java.util.LinkedHashMap<>((java.util.Map<String, Object>) template.get("Outputs"));
        outputs.remove("RawBucketArn");
        outputs.put("Extra", java.util.Map.of("Value", "x"));
        template.put("Outputs", outputs);
        if (Snapshots.UPDATE) {
            return;
        }
        assertThat(Snapshots.compare("dev", "datalake", template))
                .contains("$.Outputs.Extra: added {\"Value\":\"x\"}")
                .contains("$.Outputs.RawBucketArn: removed")
                .contains("mvn test -Dsnapshot.update=true");
    }
}

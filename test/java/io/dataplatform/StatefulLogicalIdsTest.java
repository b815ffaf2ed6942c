package io.dataplatform;

import static io.dataplatform.support.Json.resources;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.Synth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins the logical ids of stateful resources. A refactor that changes one (a renamed or moved
 * construct) would make CloudFormation create a new bucket and delete or orphan the old one with
 * its data. If this fails, do not update the ids: restore the construct path, or plan a
 * migration (see README, Operations).
 */
class StatefulLogicalIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void bucketLogicalIdsNeverChange(String env) {
        assertThat(resources(Synth.shipped(env).dataLake(), "AWS::S3::Bucket").keySet()).containsExactlyInAnyOrder(
                "RawBucket672A0DBB", "CuratedBucket90F6C1E7", "ArtifactsBucket88671897", "LogsBucket5C52C3D2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void airflowStateLogicalIdsNeverChange(String env) {
        var scheduler = Synth.shipped(env).scheduler();
        assertThat(resources(scheduler, "AWS::EC2::Volume").keySet()).containsExactly("DataVolume175940C2");
        assertThat(resources(scheduler, "AWS::SecretsManager::Secret").keySet())
                .containsExactlyInAnyOrder("SecretsAdminPasswordA3C880B6", "SecretsKeys52995371");
    }
}

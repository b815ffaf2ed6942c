package io.dataplatform;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.Synth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NagTest {
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shippedEnvironmentsSynthesizeWithNoUnacknowledgedFinding(String env) {
        assertThat(Synth.shipped(env).network()).isNotNull();
    }
}

package io.dataplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataplatform.core.NagChecks;
import io.dataplatform.support.CdkJson;
import io.dataplatform.support.Synth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.s3.Bucket;
import software.constructs.IConstruct;
import software.constructs.MetadataEntry;

/** cdk-nag AwsSolutions runs on every synth; the platform has no unacknowledged finding. */
class NagTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shippedEnvironmentsHaveNoUnacknowledgedFinding(String env) {
        // Synthesis throws with the validation report on any unacknowledged finding.
        assertThat(Synth.shipped(env).templatesByStack()).hasSize(2);
    }

    @Test
    void anUnacknowledgedFindingFailsSynthesis() {
        Map<String, Object> context = CdkJson.context();
        context.put("@aws-cdk/core:appMode", "inmemory");
        App app = new App(AppProps.builder().context(context).build());
        NagChecks.enable(app);
        new Bucket(new Stack(app, "Probe"), "PlainBucket");
        assertThatThrownBy(app::synth).hasMessageContaining("AwsSolutions-S10").hasMessageContaining("AwsSolutions-S1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyAcknowledgmentSitsOnAResourceAndGivesAReason(String env) {
        List<String> acknowledged = new ArrayList<>();
        Synth.Synthesized synthesized = Synth.shipped(env);
        for (Stack stack : List.of(synthesized.platform().network(), synthesized.platform().dataLake())) {
            for (IConstruct construct : stack.getNode().findAll()) {
                for (MetadataEntry entry : construct.getNode().getMetadata()) {
                    if (!Validations.ACKNOWLEDGED_RULES_METADATA_KEY.equals(entry.getType())) {
                        continue;
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> rules = (Map<String, Object>) entry.getData();
                    rules.forEach((rule, reason) -> {
                        if (!rule.contains("AwsSolutions-")) {
                            return; // acknowledgments aws-cdk-lib makes itself for its own constructs
                        }
                        String path = construct.getNode().getPath();
                        assertThat(construct).as(path + " is too broad a scope for " + rule)
                                .isNotInstanceOf(Stack.class).isNotInstanceOf(Stage.class);
                        assertThat(String.valueOf(reason)).as(path + " " + rule).hasSizeGreaterThan(40);
                        acknowledged.add(path + " " + rule.substring(rule.indexOf("AwsSolutions-")));
                    });
                }
            }
        }
        String prefix = synthesized.config().project() + "-" + env;
        assertThat(acknowledged).contains(prefix + "-datalake/Logs/Bucket AwsSolutions-S1");
    }
}

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
import software.amazon.awscdk.services.s3.Bucket;
import software.constructs.IConstruct;
import software.constructs.MetadataEntry;

/** cdk-nag AwsSolutions runs on every synth; the platform has no unacknowledged finding. */
class NagTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shippedEnvironmentsHaveNoUnacknowledgedFinding(String env) {
        // Synthesis throws with the validation report on any unacknowledged finding.
        assertThat(Synth.shipped(env).templatesByStack()).hasSize(Synth.shipped(env).platform().stacks().size());
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

    @Test
    void anAcknowledgmentOnlyCoversItsOwnConstruct() {
        Map<String, Object> context = CdkJson.context();
        context.put("@aws-cdk/core:appMode", "inmemory");
        App app = new App(AppProps.builder().context(context).build());
        NagChecks.enable(app);
        Stack stack = new Stack(app, "Probe");
        Bucket acknowledged = Bucket.Builder.create(stack, "Acknowledged").enforceSsl(true).build();
        Bucket.Builder.create(stack, "NotAcknowledged").enforceSsl(true).build();
        NagChecks.acknowledge(acknowledged, "AwsSolutions-S1", "probe: this bucket alone may skip access logs");
        assertThatThrownBy(app::synth).hasMessageContaining("AwsSolutions-S1")
                .hasMessageContaining("Probe/NotAcknowledged").hasMessageNotContaining("Probe/Acknowledged/");
    }

    @Test
    void anAcknowledgmentWithoutAReasonIsRejected() {
        App app = new App();
        Stack stack = new Stack(app, "Probe");
        assertThatThrownBy(() -> NagChecks.acknowledge(stack, "AwsSolutions-S1", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a reason");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyAcknowledgmentSitsBelowAStackAndGivesAReason(String env) {
        List<String> acknowledged = new ArrayList<>();
        Synth.Synthesized synthesized = Synth.shipped(env);
        for (Stack stack : synthesized.platform().stacks()) {
            for (IConstruct construct : stack.getNode().findAll()) {
                for (MetadataEntry entry : construct.getNode().getMetadata()) {
                    if (!NagChecks.ACKNOWLEDGMENT_METADATA.equals(entry.getType())) {
                        continue;
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> data = (Map<String, Object>) entry.getData();
                    String path = construct.getNode().getPath();
                    assertThat(construct).as(path + " is too broad a scope").isNotInstanceOf(Stack.class).isNotInstanceOf(Stage.class);
                    assertThat(String.valueOf(data.get("reason"))).as(path).hasSizeGreaterThan(40);
                    acknowledged.add(path + " " + data.get("finding"));
                }
            }
        }
        String prefix = synthesized.config().project() + "-" + env;
        assertThat(acknowledged).contains(prefix + "-datalake/Logs/Bucket \\QAwsSolutions-S1\\E");
    }
}

package io.dataplatform.core;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/** cdk-nag AwsSolutions on every synth, and the single way acknowledgments are written. */
public final class NagChecks {
    private NagChecks() {
    }

    public static void enable(App app) {
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    }

    /** Acknowledges {@code ruleId} on {@code construct} only; the reason must say why it is safe. */
    public static void acknowledge(IConstruct construct, String ruleId, String reason) {
        Validations.of(construct).acknowledge(Acknowledgment.builder().id(ruleId).reason(reason).build());
    }
}

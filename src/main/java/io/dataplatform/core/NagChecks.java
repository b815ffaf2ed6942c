package io.dataplatform.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.regex.Pattern;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/**
 * cdk-nag AwsSolutions on every synth, and the single way its findings are acknowledged.
 *
 * <p>Acknowledgments are recorded on the construct they concern and only silence findings on
 * resources at or below it (see {@link ScopedNagPlugin}); aws-cdk-lib's own
 * {@code Validations.acknowledge} would silence a rule id app-wide and cannot take finding ids
 * that contain "::" (every IAM4 finding does).
 *
 * <p>Each acknowledgment is also kept on the Java side, per app, so the plugin does not walk the
 * construct tree through jsii while it runs inside a jsii callback: every call made there deepens
 * the jsii kernel's stack, and walking a whole platform overflowed it.
 */
public final class NagChecks {
    /** Metadata type under which acknowledgments are recorded on constructs. */
    public static final String ACKNOWLEDGMENT_METADATA = "dataplatform:nag-acknowledgment";

    /** Acknowledgments per app (root construct), recorded when they are made. */
    private static final Map<IConstruct, List<Acknowledgment>> BY_APP = Collections.synchronizedMap(new WeakHashMap<>());

    private NagChecks() {
    }

    public static void enable(App app) {
        Validations.of(app).addPlugins(new ScopedNagPlugin(app));
    }

    /**
     * Acknowledges one exact finding, e.g. {@code AwsSolutions-S1} or
     * {@code AwsSolutions-IAM5[Resource::*]}, on {@code construct} and its children only.
     */
    public static void acknowledge(IConstruct construct, String finding, String reason) {
        record(construct, Pattern.quote(finding), reason);
    }

    /**
     * Acknowledges the findings of {@code rule} whose bracketed detail matches {@code detail}, for
     * findings that embed values only known at synth time (such as cross-stack references).
     */
    public static void acknowledgeMatching(IConstruct construct, String rule, String detail, String reason) {
        record(construct, Pattern.quote(rule + "[") + detail + Pattern.quote("]"), reason);
    }

    /**
     * Acknowledges a finding of aws-cdk-lib's CloudFormation rule validation (not cdk-nag), e.g.
     * {@code E1152}. aws-cdk-lib matches these by id across the whole app, so use it only for a
     * rule that is wrong for this template, and say why.
     */
    public static void acknowledgeTemplateRule(IConstruct construct, String ruleId, String reason) {
        Validations.of(construct).acknowledge(software.amazon.awscdk.Acknowledgment.builder()
                .id("CloudFormation-Validate::" + ruleId).reason(reason).build());
    }

    private static void record(IConstruct construct, String findingRegex, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a cdk-nag acknowledgment needs a reason: " + findingRegex);
        }
        construct.getNode().addMetadata(ACKNOWLEDGMENT_METADATA, Map.of("finding", findingRegex, "reason", reason));
        Acknowledgment acknowledgment = new Acknowledgment(construct.getNode().getPath(), Pattern.compile(findingRegex));
        BY_APP.computeIfAbsent(construct.getNode().getRoot(), root -> Collections.synchronizedList(new ArrayList<>()))
                .add(acknowledgment);
    }

    /** The acknowledgments made so far in the app whose root is {@code root}. */
    static List<Acknowledgment> acknowledgments(IConstruct root) {
        List<Acknowledgment> made = BY_APP.get(root);
        if (made == null) {
            return List.of();
        }
        synchronized (made) {
            return List.copyOf(made);
        }
    }

    /** An acknowledged finding pattern and the construct path it covers (with its children). */
    record Acknowledgment(String constructPath, Pattern finding) {
        boolean covers(String ruleName, String resourcePath) {
            return finding.matcher(ruleName).matches()
                    && (resourcePath.equals(constructPath) || resourcePath.startsWith(constructPath + "/"));
        }
    }
}

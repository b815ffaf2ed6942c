package io.dataplatform.core;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.IPolicyValidationContext;
import software.amazon.awscdk.IPolicyValidationPlugin;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolatingResource;
import software.amazon.awscdk.PolicyViolation;
import software.constructs.IConstruct;

/**
 * Runs cdk-nag's AwsSolutions pack and drops only the findings acknowledged (through
 * {@link NagChecks}) on the violating resource itself or one of its parent constructs. Every
 * other finding fails synthesis, exactly as the pack reports it.
 *
 * <p>{@link #validate} runs inside a jsii callback: it makes no jsii call per construct (see
 * {@link NagChecks} for why).
 */
final class ScopedNagPlugin implements IPolicyValidationPlugin {
    private final IConstruct root;
    private final AwsSolutionsChecks pack;

    ScopedNagPlugin(IConstruct root) {
        this.root = root;
        this.pack = new AwsSolutionsChecks(root);
    }

    @Override
    public String getName() {
        return pack.getName();
    }

    @Override
    public PolicyValidationPluginReport validate(IPolicyValidationContext context) {
        try {
            return filter(pack.validate(context));
        } catch (RuntimeException e) {
            // A crash here must fail the synth, never pass it silently.
            return PolicyValidationPluginReport.builder().success(false).violations(List.of(PolicyViolation.builder()
                    .ruleName("ScopedNagPlugin")
                    .description("cdk-nag could not be evaluated: " + e)
                    .severity("error")
                    .violatingResources(List.of(PolicyViolatingResource.builder()
                            .constructPath(root.getNode().getPath().isEmpty() ? "App" : root.getNode().getPath())
                            .locations(List.of("")).build()))
                    .build())).build();
        }
    }

    private PolicyValidationPluginReport filter(PolicyValidationPluginReport report) {
        List<NagChecks.Acknowledgment> acknowledgments = NagChecks.acknowledgments(root);
        List<PolicyViolation> remaining = new ArrayList<>();
        for (PolicyViolation violation : report.getViolations()) {
            List<PolicyViolatingResource> unacknowledged = new ArrayList<>();
            for (PolicyViolatingResource resource : violation.getViolatingResources()) {
                String path = constructPath(resource);
                boolean acknowledged = acknowledgments.stream().anyMatch(a -> a.covers(violation.getRuleName(), path));
                if (!acknowledged) {
                    unacknowledged.add(resource);
                }
            }
            if (!unacknowledged.isEmpty()) {
                remaining.add(PolicyViolation.builder()
                        .ruleName(violation.getRuleName())
                        .description(violation.getDescription())
                        .fix(violation.getFix())
                        .severity(violation.getSeverity())
                        .ruleMetadata(violation.getRuleMetadata())
                        .violatingResources(unacknowledged)
                        .build());
            }
        }
        boolean failed = remaining.stream().anyMatch(v -> v.getSeverity() == null
                || v.getSeverity().equalsIgnoreCase("error") || v.getSeverity().equalsIgnoreCase("fatal"));
        return PolicyValidationPluginReport.builder()
                .success(!failed)
                .violations(remaining)
                .metadata(report.getMetadata())
                .build();
    }

    /** cdk-nag names the violating construct; other plugins name a template and logical id. */
    private static String constructPath(PolicyViolatingResource resource) {
        if (resource.getConstructPath() == null) {
            throw new IllegalStateException("cdk-nag reported a violation without a construct path: " + resource);
        }
        return resource.getConstructPath();
    }
}

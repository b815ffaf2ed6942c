package io.dataplatform.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.TagManager;
import software.constructs.IConstruct;

/**
 * {@code Tags.of()} only reaches taggable L1s. aws-cdk-lib's built-in custom-resource providers
 * (default security group restriction, bucket auto-delete) are raw {@link CfnResource}s that it
 * skips, so their role and function would go untagged; this writes the tags onto them.
 *
 * <p>It runs once over the finished construct tree ({@link PlatformStack#tagRawResources}), not
 * as an aspect: a Java aspect is a callback from the jsii runtime for every construct during
 * synthesis, and with enough constructs those nested callbacks crash the runtime.
 */
final class TagRawResources {
    private static final Set<String> TAGGABLE_TYPES = Set.of("AWS::IAM::Role", "AWS::Lambda::Function");
    private final List<Map<String, String>> tags;

    TagRawResources(Map<String, String> tags) {
        // Ordered maps: Map.of iterates in a per-JVM random order, which made templates differ run to run.
        this.tags = tags.entrySet().stream().map(e -> {
            Map<String, String> tag = new LinkedHashMap<>();
            tag.put("Key", e.getKey());
            tag.put("Value", e.getValue());
            return tag;
        }).toList();
    }

    void visit(IConstruct node) {
        // The type first: it rules out most resources with one jsii call instead of two.
        if (node instanceof CfnResource resource && TAGGABLE_TYPES.contains(resource.getCfnResourceType())
                && !TagManager.isTaggable(resource)) {
            resource.addPropertyOverride("Tags", tags);
        }
    }
}

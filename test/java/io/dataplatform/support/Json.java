package io.dataplatform.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/** Small helpers for walking synthesized templates and config trees. */
public final class Json {
    private Json() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    /** Logical id to resource (Type, Properties, ...) of every resource of {@code type}. */
    public static Map<String, Map<String, Object>> resources(Template template, String type) {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        map(template.toJSON().get("Resources")).forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                result.put(id, map(resource));
            }
        });
        return result;
    }

    public static Map<String, Object> properties(Map<String, Object> resource) {
        Object props = resource.get("Properties");
        return props == null ? Map.of() : map(props);
    }

    /** The Key/Value tag list of a resource as a map. */
    public static Map<String, String> tags(Map<String, Object> resource) {
        Map<String, String> tags = new LinkedHashMap<>();
        Object raw = properties(resource).get("Tags");
        if (raw instanceof List<?> tagList) {
            for (Object tag : tagList) {
                tags.put(String.valueOf(map(tag).get("Key")), String.valueOf(map(tag).get("Value")));
            }
        }
        return tags;
    }

    /** Sets {@code dotted.path} in a config tree, creating objects on the way. */
    public static Map<String, Object> with(Map<String, Object> tree, String dottedPath, Object value) {
        String[] parts = dottedPath.split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = map(node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>()));
        }
        node.put(parts[parts.length - 1], value);
        return tree;
    }

    /**
     * The content of a file cfn-init writes on the (one) EC2 instance of {@code template}, with every
     * CloudFormation token shown as {@code <token>}.
     */
    public static String initFile(Template template, String path) {
        Map<String, Object> instance = resources(template, "AWS::EC2::Instance").values().iterator().next();
        Map<String, Object> files = map(map(map(map(instance.get("Metadata")).get("AWS::CloudFormation::Init"))
                .get("bootstrap")).get("files"));
        Object content = map(files.get(path)).get("content");
        StringBuilder text = new StringBuilder();
        if (content instanceof Map<?, ?> join) {
            for (Object part : list(list(map(join).get("Fn::Join")).get(1))) {
                text.append(part instanceof String s ? s : "<token>");
            }
        } else {
            text.append(content);
        }
        return text.toString();
    }

    public static List<String> strings(Object value) {
        List<String> result = new ArrayList<>();
        list(value).forEach(v -> result.add(String.valueOf(v)));
        return result;
    }
}

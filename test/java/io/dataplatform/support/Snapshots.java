package io.dataplatform.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Template snapshots under test/resources/snapshots. Asset hashes are normalized so a change to
 * an asset's bytes does not churn every snapshot. {@code mvn test -Dsnapshot.update=true}
 * rewrites them; otherwise a mismatch fails with the first differing JSON paths.
 */
public final class Snapshots {
    public static final boolean UPDATE = Boolean.getBoolean("snapshot.update");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final Pattern ASSET_HASH = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_REPORTED = 15;

    private Snapshots() {
    }

    public static Path file(String env, String stack) {
        return CdkJson.projectRoot().resolve("test/resources/snapshots").resolve(env).resolve(stack + ".json");
    }

    public static JsonNode normalize(Map<String, Object> template) {
        return normalizeNode(JSON.valueToTree(template));
    }

    private static JsonNode normalizeNode(JsonNode node) {
        if (node.isTextual()) {
            return new TextNode(ASSET_HASH.matcher(node.asText()).replaceAll("<asset-hash>"));
        }
        if (node.isObject()) {
            var copy = JSON.createObjectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), normalizeNode(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(normalizeNode(item)));
            return copy;
        }
        return node;
    }

    /** Empty when the snapshot matches (or was just written); otherwise the failure message. */
    public static String compare(String env, String stack, Map<String, Object> template) {
        JsonNode actual = normalize(template);
        Path file = file(env, stack);
        try {
            if (UPDATE) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, JSON.writeValueAsString(JSON.treeToValue(actual, Object.class)) + "\n");
                return "";
            }
            if (!Files.exists(file)) {
                return "no snapshot at " + file + "; create it with: mvn test -Dsnapshot.update=true";
            }
            JsonNode expected = JSON.readTree(Files.readString(file));
            List<String> differences = new ArrayList<>();
            diff("$", expected, actual, differences);
            if (differences.isEmpty()) {
                return "";
            }
            return "template of " + stack + " (" + env + ") differs from " + CdkJson.projectRoot().relativize(file)
                    + " at " + differences.size() + (differences.size() >= MAX_REPORTED ? "+" : "") + " paths:\n  "
                    + String.join("\n  ", differences)
                    + "\nIf the change is intended, review it and run: mvn test -Dsnapshot.update=true";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void diff(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (out.size() >= MAX_REPORTED || expected.equals(actual)) {
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            actual.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                String child = path + "." + key;
                if (!expected.has(key)) {
                    out.add(child + ": added " + abbreviate(actual.get(key)));
                } else if (!actual.has(key)) {
                    out.add(child + ": removed (was " + abbreviate(expected.get(key)) + ")");
                } else {
                    diff(child, expected.get(key), actual.get(key), out);
                }
                if (out.size() >= MAX_REPORTED) {
                    return;
                }
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            for (int i = 0; e.hasNext(); i++) {
                diff(path + "[" + i + "]", e.next(), a.next(), out);
            }
        } else {
            out.add(path + ": expected " + abbreviate(expected) + " but was " + abbreviate(actual));
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 160 ? text.substring(0, 157) + "..." : text;
    }
}

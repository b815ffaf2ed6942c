package io.dataplatform.support;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The project's cdk.json, read the way the CLI reads it, so tests see the same context. */
public final class CdkJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, Object> context;

    private CdkJson() {
    }

    public static Path projectRoot() {
        return Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
    }

    /** A fresh, mutable copy of the {@code context} object of cdk.json. */
    public static synchronized Map<String, Object> context() {
        if (context == null) {
            try {
                Map<String, Object> cdkJson = JSON.readValue(Files.readString(projectRoot().resolve("cdk.json")),
                        new TypeReference<>() { });
                @SuppressWarnings("unchecked")
                Map<String, Object> ctx = (Map<String, Object>) cdkJson.get("context");
                context = ctx;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return deepCopy(context);
    }

    /** The {@code platform} object of cdk.json, as a mutable tree tests may change. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> platform() {
        return (Map<String, Object>) context().get("platform");
    }

    /** A deep, mutable copy of a JSON object tree. */
    public static Map<String, Object> deepCopy(Map<String, Object> value) {
        return JSON.convertValue(value, new TypeReference<LinkedHashMap<String, Object>>() { });
    }
}

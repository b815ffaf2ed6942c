package io.dataplatform.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The context the CDK CLI hands the app, read as the JSON it is ({@code CDK_CONTEXT_JSON}, plus the
 * overflow file the CLI writes when the context is large). Read through aws-cdk-lib instead, a JSON
 * {@code null} is lost on the way into Java maps, and "null = off" would silently mean "default".
 */
public final class CliContext {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CliContext() {
    }

    /**
     * The value of {@code key} in the CLI's context, JSON nulls kept; a JSON object given as a string
     * ({@code -c platform='{...}'}) is parsed. Empty when not run by the CLI or the key is not set.
     */
    public static java.util.Optional<Object> value(Map<String, String> environment, String key) {
        Map<String, Object> context = new LinkedHashMap<>();
        try {
            String json = environment.get("CDK_CONTEXT_JSON");
            if (json != null && !json.isBlank()) {
                context.putAll(read(json));
            }
            String overflow = environment.get("CDK_CONTEXT_OVERFLOW_LOCATION");
            if (overflow != null && Files.isRegularFile(Path.of(overflow))) {
                context.putAll(read(Files.readString(Path.of(overflow))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CDK CLI's context", e);
        }
        if (!context.containsKey(key)) {
            return java.util.Optional.empty();
        }
        Object value = context.get(key);
        if (value instanceof String s && s.trim().startsWith("{")) {
            try {
                value = read(s);
            } catch (IOException e) {
                // Left as the string: the config reader reports that it is not an object.
            }
        }
        return java.util.Optional.ofNullable(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String json) throws IOException {
        return JSON.readValue(json, LinkedHashMap.class);
    }
}

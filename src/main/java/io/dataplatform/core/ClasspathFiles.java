package io.dataplatform.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Reads the scripts and config files under src/main/resources that end up on machines. */
public final class ClasspathFiles {
    private ClasspathFiles() {
    }

    public static String read(String resource) {
        try (InputStream in = ClasspathFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces every {@code @@NAME@@} with its value; fails if one is left unreplaced. */
    public static String render(String resource, Map<String, String> values) {
        String text = read(resource);
        for (Map.Entry<String, String> entry : values.entrySet()) {
            text = text.replace("@@" + entry.getKey() + "@@", entry.getValue());
        }
        if (text.contains("@@")) {
            throw new IllegalStateException(resource + " has a placeholder without value: "
                    + text.substring(text.indexOf("@@"), Math.min(text.length(), text.indexOf("@@") + 40)));
        }
        return text;
    }
}

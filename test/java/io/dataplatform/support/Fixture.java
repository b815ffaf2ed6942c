package io.dataplatform.support;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * The configuration behaviour tests build from: {@code test/resources/fixture/platform.json}, not the
 * shipped cdk.json. Users edit cdk.json (retention days, CIDRs, sizes); only the snapshots pin the
 * shipped environments, so a valid edit there fails nothing but the snapshot, which
 * {@code -Dsnapshot.update=true} rewrites for review.
 */
public final class Fixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, Object> platform;

    private Fixture() {
    }

    /** A fresh, mutable copy of the fixture {@code platform} object. */
    public static synchronized Map<String, Object> platform() {
        if (platform == null) {
            try {
                platform = JSON.readValue(Files.readString(CdkJson.projectRoot().resolve("test/resources/fixture/platform.json")),
                        new TypeReference<>() { });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return CdkJson.deepCopy(platform);
    }
}

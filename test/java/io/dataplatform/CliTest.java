package io.dataplatform;

import static io.dataplatform.support.Json.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.support.CdkJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app as the CDK CLI runs it: bad config exits non-zero with the messages and writes nothing. */
class CliTest {

    @Test
    void invalidConfigExitsNonZeroWithEveryMessageAndNoTemplate(@TempDir Path outdir) throws Exception {
        Map<String, Object> context = CdkJson.context();
        context.put("platform", with(with(CdkJson.platform(), "environments.dev.network.azCount", 1),
                "environments.dev.dataLake.buckets.raw.standardIaDays", 7));
        context.put("env", "dev");

        ProcessBuilder process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DataPlatformApp.class.getName());
        process.environment().put("CDK_CONTEXT_JSON", new ObjectMapper().writeValueAsString(context));
        process.environment().put("CDK_OUTDIR", outdir.toString());
        process.redirectErrorStream(true);
        Process run = process.start();
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(run.exitValue()).as(output).isEqualTo(1);
        assertThat(output)
                .contains("Invalid platform configuration (2 problems):")
                .contains("platform.environments.dev.network.azCount: must be a whole number from 2 to 6, got 1")
                .contains("platform.environments.dev.dataLake.buckets.raw.standardIaDays: must be at least 30")
                .doesNotContain("\tat io.dataplatform")
                .doesNotContain("Exception");
        try (Stream<Path> files = Files.walk(outdir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".template.json"))).isEmpty();
        }
    }
}

package io.dataplatform;

import static io.dataplatform.support.Json.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.support.CdkJson;
import io.dataplatform.support.Fixture;
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

    /** Runs the app as the CDK CLI does: context as JSON in CDK_CONTEXT_JSON, output directory in CDK_OUTDIR. */
    private static Run app(Map<String, Object> context, Path outdir) throws Exception {
        ProcessBuilder process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DataPlatformApp.class.getName());
        process.environment().put("CDK_CONTEXT_JSON", new ObjectMapper().writeValueAsString(context));
        process.environment().put("CDK_OUTDIR", outdir.toString());
        process.redirectErrorStream(true);
        Process run = process.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(run.exitValue(), output);
    }

    private record Run(int exit, String output) {
    }

    /** The pinned CDK CLI's {@code cdk synth -q} in {@code dir} (its cdk.json), on this machine's node. */
    private static Run cdkSynth(Path dir) throws Exception {
        Process cli = new ProcessBuilder("node", CdkJson.projectRoot().resolve("node_modules/aws-cdk/bin/cdk").toString(),
                "synth", "-q").directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cli.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(cli.exitValue(), output);
    }

    @Test
    void theCdkCliHandsJsonNullsToTheApp(@TempDir Path dir) throws Exception {
        // What the pinned CLI puts into CDK_CONTEXT_JSON for a cdk.json with nulls (an app that only records it).
        Path seen = dir.resolve("context.json");
        Files.writeString(dir.resolve("cdk.json"), "{\"app\": \"bash -c 'printf %s \\\"$CDK_CONTEXT_JSON\\\" > " + seen
                + "; exit 1'\", \"context\": {\"platform\": {\"environments\": {\"dev\": {\"dataLake\": {\"buckets\": "
                + "{\"raw\": {\"standardIaDays\": null}}}}}}}}");
        cdkSynth(dir);
        com.fasterxml.jackson.databind.JsonNode raw = new ObjectMapper().readTree(Files.readString(seen))
                .at("/platform/environments/dev/dataLake/buckets/raw");
        assertThat(raw.has("standardIaDays")).as(raw.toString()).isTrue();
        assertThat(raw.get("standardIaDays").isNull()).as(raw.toString()).isTrue();
    }

    @Test
    void aTrailingCommaInCdkJsonIsReportedWithItsLine(@TempDir Path dir) throws Exception {
        // The CLI parses cdk.json before it starts the app, so the app cannot improve on this message;
        // on Node 22+ (which the README requires) it names the line and column.
        Files.writeString(dir.resolve("cdk.json"), "{\n  \"app\": \"exit 1\",\n  \"context\": {\n    \"env\": \"dev\",\n  }\n}\n");
        Run cli = cdkSynth(dir);
        String output = cli.output();
        assertThat(cli.exit()).isNotZero();
        assertThat(output).as("the CLI's message on this machine's node (Node 22+ required)").contains("cdk.json")
                .contains("line 5 column 3");
    }

    @Test
    void nullSwitchesALifecycleRuleOffThroughTheCliPath(@TempDir Path outdir) throws Exception {
        Map<String, Object> context = CdkJson.context();
        context.put("platform", with(Fixture.platform(), "environments.dev.dataLake.buckets.raw.standardIaDays", null));
        context.put("env", "dev");
        Run run = app(context, outdir);
        assertThat(run.exit()).as(run.output()).isZero();
        String datalake = Files.readString(outdir.resolve("dataplat-dev-datalake.template.json"));
        Map<?, ?> template = new ObjectMapper().readValue(datalake, Map.class);
        String raw = ((Map<?, ?>) template.get("Resources")).entrySet().stream()
                .filter(e -> String.valueOf(e.getKey()).startsWith("RawBucket") && String.valueOf(e.getValue()).contains("AWS::S3::Bucket"))
                .map(e -> String.valueOf(e.getValue())).findFirst().orElseThrow();
        assertThat(raw).doesNotContain("STANDARD_IA").contains("GLACIER_IR");
    }

    @Test
    void nullWhereTheReadmeDoesNotAllowItIsRejectedThroughTheCliPath(@TempDir Path outdir) throws Exception {
        Map<String, Object> context = CdkJson.context();
        context.put("platform", with(with(Fixture.platform(), "environments.prod.production", null),
                "environments.prod.network.vpcCidr", null));
        context.put("env", "dev");
        Run run = app(context, outdir);
        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("platform.environments.prod.production: must not be null (null switches off only the lifecycle "
                        + "day counts); remove the key to get the default")
                .contains("platform.environments.prod.network.vpcCidr: must not be null");
    }

    @Test
    void invalidConfigExitsNonZeroWithEveryMessageAndNoTemplate(@TempDir Path outdir) throws Exception {
        Map<String, Object> context = CdkJson.context();
        context.put("platform", with(with(Fixture.platform(), "environments.dev.network.azCount", 1),
                "environments.dev.dataLake.buckets.raw.standardIaDays", 7));
        context.put("env", "dev");

        Run run = app(context, outdir);
        String output = run.output();

        assertThat(run.exit()).as(output).isEqualTo(1);
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

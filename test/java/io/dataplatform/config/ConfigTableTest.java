package io.dataplatform.config;

import static io.dataplatform.support.Json.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.support.CdkJson;
import io.dataplatform.support.Fixture;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The invalid-configuration table ({@code test/resources/config/invalid-configs.txt}): every case goes
 * through the path the CDK CLI uses (the context as JSON in {@code CDK_CONTEXT_JSON}, read by
 * {@link CliContext}, so JSON nulls arrive as nulls) and must be rejected naming its key, without a stack
 * trace. The app exits on this exception before building any stack, so nothing is written (CliTest runs
 * that through the real CLI).
 */
class ConfigTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Case(int line, String changes, String key, String part) {
        @Override
        public String toString() {
            return "line " + line + ": " + changes;
        }
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        List<String> lines = Files.readAllLines(CdkJson.projectRoot().resolve("test/resources/config/invalid-configs.txt"));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\\s+\\|\\s*", -1);
            assertThat(cells).as("line %d: changes | key | part", i + 1).hasSize(3);
            cases.add(new Case(i + 1, cells[0].strip(), cells[1].strip(), cells[2].strip()));
        }
        return cases;
    }

    /** The fixture with the case's changes, as the platform object the CLI's context JSON carries. */
    static Map<String, Object> apply(String changes) throws IOException {
        Map<String, Object> platform = Fixture.platform();
        for (String change : changes.split(" & ")) {
            int eq = change.indexOf('=');
            String path = change.substring(0, eq).strip().replaceFirst("^(dev|prod)\\.", "environments.$1.");
            platform = with(platform, path, JSON.readValue(change.substring(eq + 1).strip(), Object.class));
        }
        return platform;
    }

    /** The CDK CLI's environment for the app when the context holds {@code platform} and {@code env}. */
    static Map<String, String> cliEnvironment(Map<String, Object> platform, String env) throws IOException {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put(ConfigLoader.CONTEXT_KEY, platform);
        context.put(ConfigLoader.ENV_CONTEXT_KEY, env);
        return Map.of("CDK_CONTEXT_JSON", JSON.writeValueAsString(context));
    }

    /** The platform object as the app reads it under the CLI (JSON nulls kept). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> throughCliContext(Map<String, Object> platform) throws IOException {
        return (Map<String, Object>) CliContext.value(cliEnvironment(platform, "dev"), ConfigLoader.CONTEXT_KEY).orElseThrow();
    }

    /** Loads {@code platform} the way the app does under the CLI: from CDK_CONTEXT_JSON. */
    static PlatformConfig loadThroughCliContext(Map<String, Object> platform, String env) throws IOException {
        Map<String, String> environment = cliEnvironment(platform, env);
        Object fromCli = CliContext.value(environment, ConfigLoader.CONTEXT_KEY).orElseThrow();
        return ConfigLoader.load(fromCli, env, environment);
    }

    static Stream<Case> invalid() throws IOException {
        return cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void isRejectedNamingItsKey(Case c) throws IOException {
        Map<String, Object> platform = apply(c.changes());
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loadThroughCliContext(platform, "dev"));
        assertThat(e).as("%s must be rejected", c).isNotNull();
        assertThat(e.getMessage()).startsWith("Invalid platform configuration").doesNotContain("\tat ", "Exception");
        String prefix = "platform." + c.key() + ": ";
        assertThat(e.problems()).map(ConfigProblem::toString)
                .anySatisfy(p -> assertThat(p).startsWith(prefix).contains(c.part()));
    }

    @Test
    void theTableCoversEverySectionWithAtLeastSixtyCases() throws IOException {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
        assertThat(cases).extracting(Case::key).anyMatch(k -> k.startsWith("project"))
                .anyMatch(k -> k.startsWith("delivery."))
                .anyMatch(k -> k.startsWith("environments.prod."));
        for (String section : List.of("network.", "dataLake.", "emr.", "scheduler.", "scheduler.offHours.", "monitoring.", "tags")) {
            assertThat(cases).extracting(Case::key).as(section).anyMatch(k -> k.startsWith("environments.dev." + section));
        }
        assertThat(cases).extracting(Case::changes).as("nulls").filteredOn(ch -> ch.contains("=null")).hasSizeGreaterThanOrEqualTo(4);
    }
}

package io.dataplatform;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.CdkJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code cdk <command> --option} the README and the GitHub workflows tell people (and CI) to
 * run, checked against the options the pinned CDK CLI itself lists in {@code cdk <command> --help}:
 * an option the CLI does not know is ignored with only a warning, so a documented command could
 * silently do something else.
 */
class CliCommandsTest {
    private static final Pattern INVOCATION = Pattern.compile("npx cdk ([a-z]+)((?: +[^\\s#`|;&]+)*)");
    private static final Pattern HELP_OPTION = Pattern.compile("^\\s+(--[a-z0-9-]+)(?:, (-[a-zA-Z]))?", Pattern.MULTILINE);

    @Test
    void everyDocumentedCdkCommandUsesOptionsTheCliKnows() throws Exception {
        Path root = CdkJson.projectRoot();
        List<Path> sources = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> workflows = Files.list(root.resolve(".github/workflows"))) {
            workflows.filter(p -> p.toString().endsWith(".yml")).forEach(sources::add);
        }
        Map<String, Set<String>> known = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Path source : sources) {
            Matcher m = INVOCATION.matcher(Files.readString(source));
            while (m.find()) {
                String command = m.group(1);
                Set<String> options = known.computeIfAbsent(command, CliCommandsTest::optionsOf);
                for (String token : m.group(2).trim().split(" +")) {
                    if (!token.startsWith("-")) {
                        continue;
                    }
                    String option = token.contains("=") ? token.substring(0, token.indexOf('=')) : token;
                    boolean negated = option.startsWith("--no-") && options.contains("--" + option.substring(5));
                    checked++;
                    if (!options.contains(option) && !negated) {
                        unknown.add(root.relativize(source) + ": npx cdk " + command + " " + option);
                    }
                }
            }
        }
        assertThat(checked).as("options checked").isGreaterThan(10);
        assertThat(unknown).as("options the pinned CDK CLI does not know").isEmpty();
    }

    private static Set<String> optionsOf(String command) {
        try {
            Process help = new ProcessBuilder("node", "node_modules/aws-cdk/bin/cdk", command, "--help")
                    .directory(CdkJson.projectRoot().toFile()).redirectErrorStream(true).start();
            String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
            Set<String> options = new LinkedHashSet<>();
            Matcher m = HELP_OPTION.matcher(text);
            while (m.find()) {
                options.add(m.group(1));
                if (m.group(2) != null) {
                    options.add(m.group(2));
                }
            }
            assertThat(options).as("cdk " + command + " --help lists options:\n" + text).contains("--context");
            return options;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the pinned CDK CLI (npm ci first)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.dataplatform.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.CdkJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Runs the bootstrap's sandbox suite ({@code test/bootstrap/*.bats}: bootstrap.sh unmodified, real
 * bash, jq and Python, recording stubs for AWS, IMDS, dnf, systemd, PostgreSQL and pip) as part of
 * the README's test command, one JUnit test per bats test. Needs bats, jq, Python's cryptography,
 * root, unshare and overlayfs (README, Prerequisites; .ci/run installs them).
 */
@Execution(ExecutionMode.CONCURRENT)
class BootstrapScriptTest {

    @TestFactory
    List<DynamicTest> bootstrapBehavesUnderEveryScenario() throws IOException, InterruptedException {
        Process bats;
        try {
            // The sandboxes need root (mount namespaces, overlayfs): as root directly, otherwise through
            // passwordless sudo (GitHub's runners).
            List<String> command = "root".equals(System.getProperty("user.name"))
                    ? List.of("bats", "--tap", "test/bootstrap")
                    : List.of("sudo", "-n", "bats", "--tap", "test/bootstrap");
            bats = new ProcessBuilder(command).directory(CdkJson.projectRoot().toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("bats (or sudo) is not available: `apt-get install bats jq python3-cryptography`, "
                    + "and run the tests as root or with passwordless sudo (README, Prerequisites)", e);
        }
        String output = new String(bats.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bats.waitFor(5, TimeUnit.MINUTES)).as("bats finished").isTrue();

        List<DynamicTest> tests = new ArrayList<>();
        String name = null;
        boolean passed = false;
        StringBuilder diagnostics = new StringBuilder();
        for (String line : (output + "\nok 0 end").split("\n")) {
            boolean result = line.startsWith("ok ") || line.startsWith("not ok ");
            if (result && name != null) {
                String test = name;
                boolean ok = passed;
                String why = diagnostics.toString();
                tests.add(DynamicTest.dynamicTest(test, () -> assertThat(ok).as(test + "\n" + why).isTrue()));
            }
            if (result) {
                passed = line.startsWith("ok ");
                name = line.replaceFirst("^(not )?ok \\d+ ", "");
                diagnostics.setLength(0);
            } else if (line.startsWith("#")) {
                diagnostics.append(line).append('\n');
            }
        }
        assertThat(tests).as("bats ran its tests; output:\n" + output).hasSizeGreaterThanOrEqualTo(20);
        tests.add(DynamicTest.dynamicTest("bats exit status", () -> assertThat(bats.exitValue()).as(output).isZero()));
        return tests;
    }
}

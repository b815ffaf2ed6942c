package io.dataplatform;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.CdkJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code test/check/test_platform_check.py}: bin/platform-check against recorded AWS answers
 * replayed by botocore's own Stubber (requests and responses checked against botocore's service
 * models), a healthy platform and every failure answer. Needs Debian's python3-botocore.
 */
class PlatformCheckTest {

    @Test
    void theSelfCheckTellsAHealthyPlatformFromEachFailure() throws IOException, InterruptedException {
        Process python = new ProcessBuilder("/usr/bin/python3", "test/check/test_platform_check.py")
                .directory(CdkJson.projectRoot().toFile()).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as(output).containsPattern("Ran (1[5-9]|[2-9]\\d) tests");
        assertThat(python.exitValue()).as(output).isZero();
    }
}

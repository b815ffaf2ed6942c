package io.dataplatform.emr;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.CdkJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code test/pipeline/test_dag.py}: the sample DAG's templated RunJobFlow and AddJobFlowSteps
 * requests rendered with real Jinja (as Airflow renders them, for scheduled and manual runs) and
 * validated with botocore's own EMR service model. Needs Debian's python3-jinja2 and
 * python3-botocore for the system Python (README, Prerequisites; .ci/run installs them).
 */
class DagTemplatesTest {

    @Test
    void dagRequestsRenderAndAreValidForEmr() throws IOException, InterruptedException {
        Process python = new ProcessBuilder("/usr/bin/python3", "test/pipeline/test_dag.py")
                .directory(CdkJson.projectRoot().toFile()).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as(output).doesNotContain("ModuleNotFoundError")
                .containsPattern("Ran [5-9]\\d* tests|Ran \\d{2,} tests");
        assertThat(python.exitValue()).as(output).isZero();
    }
}

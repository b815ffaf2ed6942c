package io.dataplatform.emr;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.CdkJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the sample pipeline's Python suites with the system Python:
 * {@code test/pipeline/test_dag.py} (the DAG's templated RunJobFlow and AddJobFlowSteps requests
 * rendered with real Jinja, as Airflow renders them for scheduled and manual runs, and validated with
 * botocore's own EMR service model) and {@code test/pipeline/test_job.py} (the Spark job's driver
 * around its SQL: arguments, parameters, writes, exit codes). Needs Debian's python3-jinja2 and
 * python3-botocore (README, Prerequisites; .ci/run installs them).
 */
class DagTemplatesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"test/pipeline/test_dag.py, 8", "test/pipeline/test_job.py, 6"})
    void pythonSuitePasses(String suite, int atLeast) throws IOException, InterruptedException {
        Process python = new ProcessBuilder("/usr/bin/python3", suite)
                .directory(CdkJson.projectRoot().toFile()).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as(output).doesNotContain("ModuleNotFoundError").containsPattern("Ran \\d+ tests");
        int ran = Integer.parseInt(output.replaceAll("(?s).*Ran (\\d+) tests.*", "$1"));
        assertThat(ran).as(output).isGreaterThanOrEqualTo(atLeast);
        assertThat(python.exitValue()).as(output).isZero();
    }
}

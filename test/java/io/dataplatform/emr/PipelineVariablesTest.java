package io.dataplatform.emr;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.CdkJson;
import io.dataplatform.support.Synth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The DAG and the platform must agree on the Airflow Variables; neither side may drift. */
class PipelineVariablesTest {
    private static final Path PIPELINE = CdkJson.projectRoot().resolve(SamplePipeline.SOURCE);
    private static final Path DAG = PIPELINE.resolve("dags/pipeline_emr.py");

    private static String dag() throws IOException {
        return Files.readString(DAG);
    }

    private static Set<String> matches(String text, String regex) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void everyVariableTheDagReadsIsProvidedByThePlatform() throws IOException {
        Set<String> read = matches(dag(), "var\\.value\\.([a-z0-9_]+)");
        read.addAll(matches(dag(), "Variable\\.get\\(\\s*[\"']([a-z0-9_]+)[\"']"));
        Set<String> provided = Synth.fixture("dev").platform().emr().airflowVariables().keySet();
        assertThat(read).hasSizeGreaterThan(15);
        assertThat(provided).containsAll(read);
    }

    @Test
    void theDocstringListsExactlyTheVariablesTheDagReads() throws IOException {
        Set<String> read = new TreeSet<>();
        matches(dag(), "var\\.value\\.([a-z0-9_]+)").forEach(v -> read.add(PipelineVariables.environmentVariable(v)));
        String docstring = dag().substring(0, dag().indexOf("\"\"\"", 3));
        assertThat(matches(docstring, "(AIRFLOW_VAR_[A-Z0-9_]+)")).isEqualTo(read);
    }

    @Test
    void noBucketRoleSubnetOrGroupNameIsWrittenInTheDag() throws IOException {
        assertThat(dag()).doesNotContainPattern("s3://[a-z0-9][a-z0-9.-]+/")
                .doesNotContainPattern("(subnet|sg)-[0-9a-f]{8,}")
                .doesNotContain("EMR_DefaultRole").doesNotContain("EMR_EC2_DefaultRole")
                .doesNotContain("aws_access_key_id").doesNotContain("AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void theDagUsesTheShippedJobAndSampleDataAndAlwaysTerminates() throws IOException {
        String dag = dag();
        assertThat(dag).contains("JOB_KEY = \"" + SamplePipeline.JOBS_PREFIX + "processar_vendas.py\"")
                .contains("JOB_SQL_KEY = \"" + SamplePipeline.JOBS_PREFIX + "processar_vendas.sql\"")
                .contains("INPUT_PREFIX = \"" + SamplePipeline.SAMPLES_PREFIX + "vendas/\"")
                // Where the catalog tables look (SampleJobOutput) is where the DAG tells the job to write.
                .contains("OUTPUT_PREFIX = \"" + SampleJobOutput.PREFIX.replaceAll("/$", "") + "\"")
                .contains("REJECTS_PREFIX = \"" + SampleJobOutput.REJECTS_PREFIX.replaceAll("/$", "") + "\"")
                .containsPattern("EmrTerminateJobFlowOperator\\((?s)[^)]*trigger_rule=\"all_done\"")
                .contains("\"AutoTerminationPolicy\"")
                .contains("{\"Key\": \"for-use-with-amazon-emr-managed-policies\", \"Value\": \"true\"}")
                .contains("S3KeySensor(").contains("EmrStepSensor(");
        assertThat(PIPELINE.resolve("jobs/processar_vendas.py")).exists();
        assertThat(PIPELINE.resolve("jobs/processar_vendas.sql")).exists();
        assertThat(PIPELINE.resolve("sample-data/vendas/data_venda=2025-09-01/dados_vendas.csv")).exists();
    }

    @Test
    void variableValuesComeFromTheStacksAndConfig() {
        var vars = Synth.fixture("prod").platform().emr().airflowVariables();
        assertThat(vars).containsEntry("emr_release_label", "emr-7.13.0").containsEntry("emr_core_market", "SPOT")
                .containsEntry("emr_idle_timeout_seconds", "1800").containsEntry("platform_environment", "prod")
                .containsEntry("pipeline_max_reject_percent", "5");
        assertThat(PipelineVariables.environmentVariable("emr_log_uri")).isEqualTo("AIRFLOW_VAR_EMR_LOG_URI");
    }
}

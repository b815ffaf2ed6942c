package io.dataplatform.query;

import static io.dataplatform.support.Json.list;
import static io.dataplatform.support.Json.map;
import static io.dataplatform.support.Json.properties;
import static io.dataplatform.support.Json.resources;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.config.QueryConfig;
import io.dataplatform.emr.SampleJobOutput;
import io.dataplatform.support.CdkJson;
import io.dataplatform.support.Synth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

/** The query layer: catalog tables over the curated zone, the Athena workgroup, its results bucket. */
class QueryStackTest {

    private static Template query(String env) {
        return Synth.fixture(env).query();
    }

    private static Map<String, Object> table(Template t, String name) {
        return resources(t, "AWS::Glue::Table").values().stream().map(r -> properties(r))
                .filter(p -> name.equals(map(p.get("TableInput")).get("Name"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> workgroup(Template t) {
        return properties(resources(t, "AWS::Athena::WorkGroup").values().iterator().next());
    }

    @Test
    void oneCuratedDatabasePerEnvironmentNamedForAthena() {
        for (String env : List.of("dev", "prod")) {
            Map<String, Object> database = properties(resources(query(env), "AWS::Glue::Database").values().iterator().next());
            assertThat(map(database.get("DatabaseInput")).get("Name")).isEqualTo("dataplat_" + env + "_curated");
            assertThat(database.get("CatalogId")).isEqualTo(Map.of("Ref", "AWS::AccountId"));
        }
    }

    @Test
    void theSalesTableIsTheJobsOutputWithProjectedRunDatePartitions() {
        Map<String, Object> input = map(table(query("dev"), SampleJobOutput.TABLE).get("TableInput"));
        Map<String, Object> storage = map(input.get("StorageDescriptor"));
        List<Map<String, Object>> expectedColumns = SampleJobOutput.COLUMNS.stream()
                .map(c -> Map.<String, Object>of("Name", c.name(), "Type", c.type(), "Comment", c.comment())).toList();
        assertThat(storage.get("Columns")).isEqualTo(expectedColumns);
        assertThat(input.get("PartitionKeys")).isEqualTo(List.of(Map.of("Name", "run_date", "Type", "string",
                "Comment", "the processed date, yyyy-MM-dd")));
        assertThat(input.get("TableType")).isEqualTo("EXTERNAL_TABLE");
        assertThat(storage.get("SerdeInfo")).isEqualTo(Map.of("SerializationLibrary",
                "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", "Parameters", Map.of("serialization.format", "1")));
        assertThat(storage.toString()).contains("s3://").contains("/vendas_por_vendedor/");
        assertThat(storage.get("Location").toString()).contains("CuratedBucket").contains("/" + SampleJobOutput.PREFIX);

        Map<String, Object> parameters = new LinkedHashMap<>(map(input.get("Parameters")));
        Object template = parameters.remove("storage.location.template");
        assertThat(template.toString()).contains("CuratedBucket").contains("/vendas_por_vendedor/run_date=${run_date}/");
        assertThat(parameters).isEqualTo(Map.of("classification", "parquet", "EXTERNAL", "TRUE",
                "projection.enabled", "true", "projection.run_date.type", "date",
                "projection.run_date.format", "yyyy-MM-dd", "projection.run_date.range", "2025-09-01,NOW",
                "projection.run_date.interval", "1", "projection.run_date.interval.unit", "DAYS"));
    }

    @Test
    void theRejectsTableReadsTheJobsRejectCsvWithItsHeader() {
        Map<String, Object> input = map(table(query("dev"), SampleJobOutput.REJECTS_TABLE).get("TableInput"));
        Map<String, Object> storage = map(input.get("StorageDescriptor"));
        assertThat(list(storage.get("Columns")).stream().map(c -> map(c).get("Name")).toList())
                .isEqualTo(SampleJobOutput.REJECTS_COLUMNS.stream().map(SampleJobOutput.Column::name).toList());
        assertThat(map(storage.get("SerdeInfo")).get("SerializationLibrary")).isEqualTo("org.apache.hadoop.hive.serde2.OpenCSVSerde");
        assertThat(map(input.get("Parameters"))).containsEntry("skip.header.line.count", "1")
                .containsEntry("projection.run_date.type", "date");
        assertThat(storage.get("Location").toString()).contains("/" + SampleJobOutput.REJECTS_PREFIX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theWorkgroupEnforcesEngine3ACutoffMetricsAndEncryptedResultsOutsideCurated(String env) {
        Map<String, Object> wg = workgroup(query(env));
        assertThat(wg.get("Name")).isEqualTo("dataplat-" + env + "-analytics");
        assertThat(wg.get("State")).isEqualTo("ENABLED");
        assertThat(wg.get("RecursiveDeleteOption")).isEqualTo("dev".equals(env));
        Map<String, Object> configuration = new LinkedHashMap<>(map(wg.get("WorkGroupConfiguration")));
        Map<String, Object> results = map(configuration.remove("ResultConfiguration"));
        assertThat(configuration).isEqualTo(Map.of("EnforceWorkGroupConfiguration", true,
                "EngineVersion", Map.of("SelectedEngineVersion", "Athena engine version 3"),
                "BytesScannedCutoffPerQuery", 1_000_000_000,
                "PublishCloudWatchMetricsEnabled", true, "RequesterPaysEnabled", false));
        assertThat(results.get("EncryptionConfiguration")).isEqualTo(Map.of("EncryptionOption", "SSE_S3"));
        assertThat(results.get("ExpectedBucketOwner")).isEqualTo(Map.of("Ref", "AWS::AccountId"));
        // In the query stack's own results bucket, never in the curated zone.
        String location = results.get("OutputLocation").toString();
        assertThat(location).contains("AthenaResultsBucket").contains("/athena/").doesNotContain("Curated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void resultsExpireAndTheirBucketIsLikeEveryDataLakeBucket(String env) {
        Template t = query(env);
        assertThat(resources(t, "AWS::S3::Bucket")).hasSize(1);
        Map<String, Object> bucket = properties(resources(t, "AWS::S3::Bucket").values().iterator().next());
        assertThat(bucket.get("BucketEncryption").toString()).contains("AES256");
        assertThat(bucket.get("PublicAccessBlockConfiguration")).isEqualTo(Map.of("BlockPublicAcls", true,
                "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
        List<Object> rules = list(map(bucket.get("LifecycleConfiguration")).get("Rules"));
        assertThat(rules).anySatisfy(r -> assertThat(map(r)).containsEntry("Id", "expire-current-versions")
                .containsEntry("ExpirationInDays", 7));
        assertThat(rules).anySatisfy(r -> assertThat(map(r)).containsEntry("Id", "expire-noncurrent-versions")
                .containsEntry("NoncurrentVersionExpiration", Map.of("NoncurrentDays", 1)));
        // No access logs: they would need a statement in the datalake stack's logs bucket policy (nag S1 acknowledged).
        assertThat(bucket).doesNotContainKey("LoggingConfiguration");
        assertThat(resources(t, "AWS::S3::BucketPolicy").values().iterator().next().toString())
                .contains("aws:SecureTransport").contains("s3:TlsVersion");
    }

    @Test
    void theAnalystPolicyIsAttachedToNobodyAndNamedForTheEnvironment() {
        Map<String, Object> policy = properties(resources(query("dev"), "AWS::IAM::ManagedPolicy").values().iterator().next());
        // IAM names are account-wide: the region keeps dev in two regions of one account apart.
        assertThat(policy.get("ManagedPolicyName")).isEqualTo(Map.of("Fn::Join", List.of("",
                List.of("dataplat-dev-analysts-", Map.of("Ref", "AWS::Region")))));
        assertThat(policy).doesNotContainKeys("Roles", "Users", "Groups");
        assertThat(list(map(policy.get("PolicyDocument")).get("Statement"))).allSatisfy(s ->
                assertThat(map(s).get("Effect")).isEqualTo("Allow"));
    }

    /**
     * The tables and the workgroup as the API requests CloudFormation makes of them (CreateTable,
     * CreateWorkGroup), validated with botocore's own Glue and Athena models: types, enums, required
     * members, and minimums such as Athena's smallest scan cutoff. Deploy-time values become strings.
     */
    @Test
    void theTablesAndTheWorkgroupAreValidRequestsForBotocoresModels() throws IOException, InterruptedException {
        Template t = query("prod");
        List<Map<String, Object>> requests = new ArrayList<>();
        for (Map<String, Object> resource : resources(t, "AWS::Glue::Table").values()) {
            Map<String, Object> p = properties(resource);
            requests.add(Map.of("service", "glue", "operation", "CreateTable", "params", deployed(Map.of(
                    "CatalogId", p.get("CatalogId"), "DatabaseName", p.get("DatabaseName"), "TableInput", p.get("TableInput")))));
        }
        Map<String, Object> database = properties(resources(t, "AWS::Glue::Database").values().iterator().next());
        requests.add(Map.of("service", "glue", "operation", "CreateDatabase", "params", deployed(Map.of(
                "CatalogId", database.get("CatalogId"), "DatabaseInput", database.get("DatabaseInput")))));
        Map<String, Object> wg = workgroup(t);
        requests.add(Map.of("service", "athena", "operation", "CreateWorkGroup", "params", deployed(Map.of(
                "Name", wg.get("Name"), "Description", wg.get("Description"), "Configuration", wg.get("WorkGroupConfiguration")))));
        // The smallest cutoff the config accepts is the smallest botocore accepts, and one below is refused.
        Map<String, Object> smallest = new LinkedHashMap<>(map(deployed(wg.get("WorkGroupConfiguration"))));
        smallest.put("BytesScannedCutoffPerQuery", QueryConfig.MIN_CUTOFF_MB * 1_000_000L);
        requests.add(Map.of("service", "athena", "operation", "CreateWorkGroup", "params", Map.of("Name", "smallest",
                "Configuration", smallest)));
        Map<String, Object> tooSmall = new LinkedHashMap<>(smallest);
        tooSmall.put("BytesScannedCutoffPerQuery", QueryConfig.MIN_CUTOFF_MB * 1_000_000L - 1);
        requests.add(Map.of("service", "athena", "operation", "CreateWorkGroup", "params", Map.of("Name", "too-small",
                "Configuration", tooSmall)));

        Process python = new ProcessBuilder("/usr/bin/python3", "test/query/botocore_validate.py")
                .directory(CdkJson.projectRoot().toFile()).redirectErrorStream(true).start();
        try (var stdin = python.getOutputStream()) {
            stdin.write(new ObjectMapper().writeValueAsBytes(requests));
        }
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output.lines().toList()).as(output).containsExactly(
                "valid glue CreateTable", "valid glue CreateTable", "valid glue CreateDatabase",
                "valid athena CreateWorkGroup", "valid athena CreateWorkGroup", "INVALID athena CreateWorkGroup:",
                "Invalid value for parameter Configuration.BytesScannedCutoffPerQuery, value: 9999999, valid min value: 10000000");
    }

    /** A template value as deployed: every intrinsic function (bucket names, account) becomes a plain string. */
    private static Object deployed(Object value) {
        if (value instanceof Map<?, ?> m) {
            if (m.size() == 1 && String.valueOf(m.keySet().iterator().next()).matches("Ref|Fn::.+")) {
                return "s3-or-name-resolved-at-deploy";
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), deployed(v)));
            return copy;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(QueryStackTest::deployed).toList();
        }
        return value;
    }

    @Test
    void theDataLakeStackIsUntouchedByTheQueryLayer() {
        // The query stack only reads the buckets' names: nothing of the datalake stack refers to it (its
        // snapshot and the change gate's recorded release show the template otherwise unchanged).
        assertThat(Synth.fixture("dev").dataLake().toJSON().toString()).doesNotContain("query").doesNotContain("Athena");
    }
}

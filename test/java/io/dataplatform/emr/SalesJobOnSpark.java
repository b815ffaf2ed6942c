package io.dataplatform.emr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataplatform.support.CdkJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample Spark job's transformation ({@code jobs/processar_vendas.sql}, the file the PySpark
 * driver runs on EMR) executed on Apache Spark 3.5 in local mode, the way the driver runs it: same
 * parameters, same statements in the same order, same writes. Expected totals are computed here
 * from the sample CSV with BigDecimal, not by Spark. The driver's own logic around the SQL
 * (arguments, exit codes, what it writes when) is tested by {@code test/pipeline/test_job.py}.
 *
 * <p>Not a surefire test class by name: {@link SalesJobSparkTest} runs it in a JVM of its own (Spark
 * needs Jackson's Scala module, which must not be where jsii runs).
 */
public class SalesJobOnSpark {
    private static final Path PIPELINE = CdkJson.projectRoot().resolve(SamplePipeline.SOURCE);
    private static final Path SQL = PIPELINE.resolve("jobs/processar_vendas.sql");
    private static final Path SAMPLE = PIPELINE.resolve("sample-data/vendas");
    private static final String HEADER = "data,produto,quantidade,preco_unitario,vendedor";

    private static SparkSession spark;

    @TempDir
    Path work;

    @BeforeAll
    static void startSpark() {
        // Small and quick: one core, one shuffle partition, no UI, no adaptive re-planning.
        spark = SparkSession.builder().master("local[1]").appName("processar-vendas-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** What processar_vendas.py's run() does with the SQL: returns its exit code. */
    private static int runJob(Path input, Path output, Path rejects, String runDate, int maxRejectPercent) {
        spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
        spark.conf().set("vendas.input_path", input.toString());
        spark.conf().set("vendas.run_date", runDate);
        spark.conf().set("vendas.max_reject_percent", String.valueOf(maxRejectPercent));
        for (String statement : statements()) {
            spark.sql(statement);
        }
        Row summary = spark.table("vendas_resumo").first();
        spark.table("vendas_rejeitadas").write().mode("overwrite").option("header", true)
                .csv(rejects.resolve("run_date=" + runDate).toString());
        if (summary.<Boolean>getAs("falhar")) {
            return 1;
        }
        spark.table("vendas_por_vendedor").write().mode("overwrite").partitionBy("run_date").parquet(output.toString());
        return 0;
    }

    /** The SQL file's statements, split as the driver splits them (';' at the end of a line). */
    static List<String> statements() {
        try {
            List<String> result = new ArrayList<>();
            for (String part : Pattern.compile(";[ \\t]*(?:\\n|$)").split(Files.readString(SQL))) {
                if (part.lines().anyMatch(l -> !l.isBlank() && !l.strip().startsWith("--"))) {
                    result.add(part);
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** seller -> [quantity, revenue, transactions, average ticket] from the CSV, computed without Spark. */
    private static Map<String, List<Object>> expectedTotals(Path csv, String date) throws IOException {
        Map<String, BigDecimal[]> sums = new TreeMap<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] f = line.split(",");
            if (!f[0].equals(date)) {
                continue;
            }
            BigDecimal quantity = new BigDecimal(f[2]);
            BigDecimal[] s = sums.computeIfAbsent(f[4], k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
            s[0] = s[0].add(quantity);
            s[1] = s[1].add(quantity.multiply(new BigDecimal(f[3])));
            s[2] = s[2].add(BigDecimal.ONE);
        }
        Map<String, List<Object>> expected = new TreeMap<>();
        sums.forEach((seller, s) -> expected.put(seller, List.of(s[0].longValueExact(),
                s[1].setScale(2, RoundingMode.HALF_UP), s[2].longValueExact(),
                s[1].divide(s[2], 2, RoundingMode.HALF_UP))));
        return expected;
    }

    /** The written partition of one date, as seller -> the same four values. */
    private static Map<String, List<Object>> written(Path output, String date) {
        Map<String, List<Object>> actual = new TreeMap<>();
        for (Row r : spark.read().parquet(output.toString()).where("run_date = '" + date + "'").collectAsList()) {
            actual.put(r.getAs("vendedor"), List.of(r.<Long>getAs("total_quantidade"), r.<BigDecimal>getAs("total_receita"),
                    r.<Long>getAs("total_transacoes"), r.<BigDecimal>getAs("ticket_medio")));
        }
        return actual;
    }

    private static List<String> rejectsOf(Path rejects, String date) {
        return spark.read().option("header", true)
                .schema("motivo STRING, data STRING, produto STRING, quantidade STRING, preco_unitario STRING, "
                        + "vendedor STRING, linha_original STRING")
                .csv(rejects.resolve("run_date=" + date).toString())
                .selectExpr("concat_ws('|', motivo, coalesce(linha_original, data))").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList().stream().sorted().toList();
    }

    private Path input(String name, String... lines) throws IOException {
        Path dir = Files.createDirectories(work.resolve("raw").resolve(name));
        Files.writeString(dir.resolve("part.csv"), HEADER + "\n" + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return dir;
    }

    @Test
    void eachSampleDateGivesThatDatesOwnTotalsInItsOwnPartition() throws IOException {
        Path output = work.resolve("curated");
        Path rejects = work.resolve("rejects");
        BigDecimal expectedRevenue = BigDecimal.ZERO;
        List<Path> folders;
        try (Stream<Path> list = Files.list(SAMPLE)) {
            folders = list.sorted().toList();
        }
        assertThat(folders).hasSizeGreaterThanOrEqualTo(2);
        for (Path folder : folders) {
            String date = folder.getFileName().toString().replace("data_venda=", "");
            assertThat(runJob(folder, output, rejects, date, 0)).as(date).isZero();
            Map<String, List<Object>> expected = expectedTotals(folder.resolve("dados_vendas.csv"), date);
            assertThat(expected).as(date).isNotEmpty();
            assertThat(written(output, date)).as(date).isEqualTo(expected);
            assertThat(rejectsOf(rejects, date)).as(date).isEmpty();
            for (List<Object> totals : expected.values()) {
                expectedRevenue = expectedRevenue.add((BigDecimal) totals.get(1));
            }
        }
        // Hand-checked, so that a mistake in the expectation code cannot hide one in the job.
        assertThat(written(output, "2025-09-01")).isEqualTo(Map.of(
                "Ana Silva", List.of(7L, new BigDecimal("5250.00"), 2L, new BigDecimal("2625.00")),
                "João Santos", List.of(3L, new BigDecimal("450.00"), 1L, new BigDecimal("450.00"))));
        // No double counting: summed over every partition, each sample row counts once.
        BigDecimal revenue = spark.read().parquet(output.toString()).selectExpr("sum(total_receita)").first().getDecimal(0);
        assertThat(revenue).isEqualByComparingTo(expectedRevenue).isEqualByComparingTo("20050.00");
        assertThat(spark.read().parquet(output.toString()).select("run_date").distinct().count()).isEqualTo(folders.size());
    }

    @Test
    void reRunningADateReplacesOnlyThatDate() throws IOException {
        Path output = work.resolve("curated");
        Path rejects = work.resolve("rejects");
        assertThat(runJob(input("d1", "2025-09-01,Mouse,1,10.00,Ana"), output, rejects, "2025-09-01", 0)).isZero();
        assertThat(runJob(input("d2", "2025-09-02,Mouse,2,10.00,Ana"), output, rejects, "2025-09-02", 0)).isZero();
        assertThat(runJob(input("d1-fixed", "2025-09-01,Mouse,3,10.00,Bia"), output, rejects, "2025-09-01", 0)).isZero();

        assertThat(written(output, "2025-09-01")).containsOnlyKeys("Bia");
        assertThat(written(output, "2025-09-01").get("Bia").get(1)).isEqualTo(new BigDecimal("30.00"));
        assertThat(written(output, "2025-09-02")).isEqualTo(Map.of("Ana",
                List.of(2L, new BigDecimal("20.00"), 1L, new BigDecimal("20.00"))));
    }

    @Test
    void malformedRowsAreRejectedWithTheirReasonAndLeaveTheSumsRight() throws IOException {
        Path in = input("bad",
                "2025-09-01,Notebook,2,2500.00,Ana Silva",
                "2025-09-01,Mouse,cinco,50.00,Ana Silva",
                "01/09/2025,Mouse,5,50.00,Ana Silva",
                "2025-09,Mouse,5,50.00,Ana Silva",
                "2025-09-02,Mouse,5,50.00,Ana Silva",
                "2025-09-01,Mouse,0,50.00,Ana Silva",
                "2025-09-01,Mouse,-1,50.00,Ana Silva",
                "2025-09-01,Mouse,5,50,00,Ana Silva",
                "2025-09-01,Mouse,5,abc,Ana Silva",
                "2025-09-01,Mouse,5",
                "2025-09-01,,5,50.00,Ana Silva",
                "2025-09-01,Mouse,5,50.00,",
                "2025-09-01,Teclado,3,150.00,João Santos");
        Path output = work.resolve("curated");
        Path rejects = work.resolve("rejects");

        assertThat(runJob(in, output, rejects, "2025-09-01", 90)).isZero();

        Row summary = spark.table("vendas_resumo").first();
        assertThat(List.of(summary.<Long>getAs("linhas"), summary.<Long>getAs("rejeitadas"))).containsExactly(13L, 11L);
        assertThat(rejectsOf(rejects, "2025-09-01")).containsExactly(
                "invalid_date|01/09/2025",
                "invalid_date|2025-09",
                "invalid_price|2025-09-01",
                "invalid_quantity|2025-09-01",
                "invalid_quantity|2025-09-01",
                "invalid_quantity|2025-09-01",
                "missing_product|2025-09-01",
                "missing_seller|2025-09-01",
                "other_date|2025-09-02",
                "wrong_field_count|2025-09-01,Mouse,5",
                "wrong_field_count|2025-09-01,Mouse,5,50,00,Ana Silva");
        // Only the two good rows count: the average is not diluted by rows that fell out of the sums.
        assertThat(written(output, "2025-09-01")).isEqualTo(Map.of(
                "Ana Silva", List.of(2L, new BigDecimal("5000.00"), 1L, new BigDecimal("5000.00")),
                "João Santos", List.of(3L, new BigDecimal("450.00"), 1L, new BigDecimal("450.00"))));
    }

    @Test
    void tooManyRejectsFailTheRunAndKeepTheDatesPreviousOutput() throws IOException {
        Path output = work.resolve("curated");
        Path rejects = work.resolve("rejects");
        assertThat(runJob(input("good", "2025-09-01,Mouse,1,10.00,Ana"), output, rejects, "2025-09-01", 5)).isZero();

        Path bad = input("bad", "2025-09-01,Mouse,2,10.00,Ana", "2025-09-01,Mouse,x,10.00,Ana");
        assertThat(runJob(bad, output, rejects, "2025-09-01", 49)).isEqualTo(1);
        assertThat(written(output, "2025-09-01").get("Ana").get(0)).isEqualTo(1L);
        assertThat(rejectsOf(rejects, "2025-09-01")).containsExactly("invalid_quantity|2025-09-01");

        // Exactly at the limit passes; and a corrected re-run clears the date's rejects.
        assertThat(runJob(bad, output, rejects, "2025-09-01", 50)).isZero();
        assertThat(written(output, "2025-09-01").get("Ana").get(0)).isEqualTo(2L);
        assertThat(runJob(input("fixed", "2025-09-01,Mouse,2,10.00,Ana"), output, rejects, "2025-09-01", 0)).isZero();
        assertThat(rejectsOf(rejects, "2025-09-01")).isEmpty();
    }

    @Test
    void anEmptyInputFailsTheRun() throws IOException {
        assertThat(runJob(input("empty"), work.resolve("curated"), work.resolve("rejects"), "2025-09-01", 100)).isEqualTo(1);
        assertThat(work.resolve("curated")).doesNotExist();
    }

    @Test
    void aFileWithOtherColumnsFailsInsteadOfBeingMisread() throws IOException {
        Path dir = Files.createDirectories(work.resolve("raw/swapped"));
        Files.writeString(dir.resolve("part.csv"), "data,produto,preco_unitario,quantidade,vendedor\n2025-09-01,Mouse,50.00,5,Ana\n");
        assertThatThrownBy(() -> runJob(dir, work.resolve("curated"), work.resolve("rejects"), "2025-09-01", 0))
                .hasStackTraceContaining("CSV header does not conform to the schema");
    }

    @Test
    void theSqlSplitsIntoSixStatements() {
        // test/pipeline/test_job.py asserts the same count with the driver's own splitter.
        assertThat(statements()).hasSize(6).allMatch(s -> s.contains("CREATE OR REPLACE TEMPORARY VIEW") || s.contains("CACHE TABLE"));
    }

    @Test
    void theOutputIsWhatTheCatalogTablesDeclare() throws IOException {
        Path output = work.resolve("curated");
        Path rejects = work.resolve("rejects");
        runJob(input("one", "2025-09-01,Mouse,1,10.00,Ana", "2025-09-01,Mouse,x,10.00,Ana"), output, rejects, "2025-09-01", 50);
        // The Parquet files of a partition hold exactly the sales table's columns (query stack: CuratedCatalog).
        String declared = SampleJobOutput.COLUMNS.stream().map(c -> c.name() + ":" + c.type())
                .collect(Collectors.joining(",", "struct<", ">"));
        assertThat(spark.read().parquet(output.resolve("run_date=2025-09-01").toString()).schema().simpleString())
                .isEqualTo(declared);
        // The rejects CSV's header names the rejects table's columns, in order (the table skips that line).
        Path csv;
        try (Stream<Path> files = Files.list(rejects.resolve("run_date=2025-09-01"))) {
            csv = files.filter(f -> f.getFileName().toString().endsWith(".csv")).findFirst().orElseThrow();
        }
        assertThat(Files.readAllLines(csv).get(0)).isEqualTo(SampleJobOutput.REJECTS_COLUMNS.stream()
                .map(SampleJobOutput.Column::name).collect(Collectors.joining(",")));
    }
}

package io.dataplatform.emr;

import java.util.List;

/**
 * What the sample Spark job writes into the curated bucket, in one place: the query layer's catalog
 * tables are declared from it, and SalesJobOnSpark checks the job's real output against it (the DAG
 * passes the same prefixes: PipelineVariablesTest). No CDK types here, so the Spark JVM can load it.
 */
public final class SampleJobOutput {
    /** Per-seller totals, Parquet, one {@code run_date=YYYY-MM-DD/} folder per date. */
    public static final String PREFIX = "vendas_por_vendedor/";
    /** Rejected rows with their reason, CSV with a header line, one {@code run_date=} folder per date. */
    public static final String REJECTS_PREFIX = "rejects/vendas_por_vendedor/";
    public static final String TABLE = "vendas_por_vendedor";
    public static final String REJECTS_TABLE = "vendas_por_vendedor_rejeitadas";
    public static final String PARTITION_KEY = "run_date";

    /** A column with its Hive/Athena type (the same spelling as Spark's simpleString). */
    public record Column(String name, String type, String comment) {
    }

    public static final List<Column> COLUMNS = List.of(
            new Column("vendedor", "string", "seller"),
            new Column("total_quantidade", "bigint", "units sold"),
            new Column("total_receita", "decimal(18,2)", "revenue: sum of quantity x unit price"),
            new Column("total_transacoes", "bigint", "accepted sales rows"),
            new Column("ticket_medio", "decimal(18,2)", "average revenue per sales row"));

    public static final List<Column> REJECTS_COLUMNS = List.of(
            new Column("motivo", "string", "why the row was rejected, e.g. invalid_date"),
            new Column("data", "string", "the row's fields as read"),
            new Column("produto", "string", ""),
            new Column("quantidade", "string", ""),
            new Column("preco_unitario", "string", ""),
            new Column("vendedor", "string", ""),
            new Column("linha_original", "string", "the whole line, when it had too few or too many fields"));

    private SampleJobOutput() {
    }
}

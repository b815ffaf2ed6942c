package io.dataplatform.query;

import io.dataplatform.emr.SampleJobOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The Glue Data Catalog database of the curated zone and the sample job's tables in it. Partitions
 * are never registered: Athena projects {@code run_date} from the table properties (partition
 * projection), so a date the job wrote is queryable at once, with no crawler and no
 * {@code MSCK REPAIR}. (Engines that read partitions from the catalog, such as Spark with the Glue
 * metastore, see none: read the Parquet path there.)
 */
public final class CuratedCatalog extends Construct {
    private static final String PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    private static final String PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
    private static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    private static final String TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";
    private static final String TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
    private static final String CSV_SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde";

    private final String databaseName;

    /**
     * @param databaseName Glue database name: lowercase letters, digits and underscores (Athena's rule)
     * @param firstRunDate first projected run_date, yyyy-MM-dd
     */
    public CuratedCatalog(Construct scope, String id, IBucket curated, String databaseName, String firstRunDate) {
        super(scope, id);
        this.databaseName = databaseName;
        CfnDatabase database = CfnDatabase.Builder.create(this, "Database")
                .catalogId(Aws.ACCOUNT_ID)
                .databaseInput(CfnDatabase.DatabaseInputProperty.builder()
                        .name(databaseName)
                        .description("Curated zone of the data platform: tables over s3://<curated bucket>/")
                        .build())
                .build();

        String output = "s3://" + curated.getBucketName() + "/" + SampleJobOutput.PREFIX;
        table("SalesBySeller", database, SampleJobOutput.TABLE,
                "Per-seller sales totals of the sample pipeline, one run_date partition per processed date",
                output, SampleJobOutput.COLUMNS, firstRunDate,
                Map.of("classification", "parquet"),
                CfnTable.StorageDescriptorProperty.builder()
                        .inputFormat(PARQUET_INPUT).outputFormat(PARQUET_OUTPUT)
                        .serdeInfo(CfnTable.SerdeInfoProperty.builder().serializationLibrary(PARQUET_SERDE)
                                .parameters(Map.of("serialization.format", "1")).build()));

        String rejects = "s3://" + curated.getBucketName() + "/" + SampleJobOutput.REJECTS_PREFIX;
        table("SalesRejects", database, SampleJobOutput.REJECTS_TABLE,
                "Rows the sample pipeline rejected, as read, with the reason (motivo)",
                rejects, SampleJobOutput.REJECTS_COLUMNS, firstRunDate,
                Map.of("classification", "csv", "skip.header.line.count", "1"),
                CfnTable.StorageDescriptorProperty.builder()
                        .inputFormat(TEXT_INPUT).outputFormat(TEXT_OUTPUT)
                        .serdeInfo(CfnTable.SerdeInfoProperty.builder().serializationLibrary(CSV_SERDE)
                                .parameters(Map.of("separatorChar", ",", "quoteChar", "\"", "escapeChar", "\\")).build()));
    }

    private void table(String id, CfnDatabase database, String name, String description, String location,
                       List<SampleJobOutput.Column> columns, String firstRunDate, Map<String, String> format,
                       CfnTable.StorageDescriptorProperty.Builder storage) {
        String key = SampleJobOutput.PARTITION_KEY;
        Map<String, String> parameters = new LinkedHashMap<>(format);
        parameters.put("EXTERNAL", "TRUE");
        // Athena partition projection: run_date=yyyy-MM-dd folders, every day from firstRunDate to today.
        parameters.put("projection.enabled", "true");
        parameters.put("projection." + key + ".type", "date");
        parameters.put("projection." + key + ".format", "yyyy-MM-dd");
        parameters.put("projection." + key + ".range", firstRunDate + ",NOW");
        parameters.put("projection." + key + ".interval", "1");
        parameters.put("projection." + key + ".interval.unit", "DAYS");
        parameters.put("storage.location.template", location + key + "=${" + key + "}/");

        CfnTable table = CfnTable.Builder.create(this, id)
                .catalogId(Aws.ACCOUNT_ID)
                .databaseName(databaseName)
                .tableInput(CfnTable.TableInputProperty.builder()
                        .name(name)
                        .description(description)
                        .tableType("EXTERNAL_TABLE")
                        .parameters(parameters)
                        .partitionKeys(List.of(CfnTable.ColumnProperty.builder().name(key).type("string")
                                .comment("the processed date, yyyy-MM-dd").build()))
                        .storageDescriptor(storage.location(location)
                                .columns(columns.stream().map(c -> CfnTable.ColumnProperty.builder()
                                        .name(c.name()).type(c.type()).comment(c.comment()).build()).toList())
                                .build())
                        .build())
                .build();
        table.getNode().addDependency(database);
    }

    public String databaseName() {
        return databaseName;
    }
}

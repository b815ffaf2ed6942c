"""Per-seller sales aggregates (the course's processar_vendas job), written as partitioned Parquet.

Usage: spark-submit processar_vendas.py <input_path> <output_path> <run_date>

  input_path   CSV with header: data,produto,quantidade,preco_unitario,vendedor
  output_path  destination prefix in the curated bucket
  run_date     YYYY-MM-DD; the result is written to <output_path>/run_date=<run_date>/, replacing
               only that partition, so re-running a day is idempotent
"""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def aggregate_sales(sales):
    revenue = F.col("quantidade") * F.col("preco_unitario")
    return (
        sales.groupBy("vendedor")
        .agg(
            F.sum("quantidade").alias("total_quantidade"),
            F.round(F.sum(revenue), 2).alias("total_receita"),
            F.count(F.lit(1)).alias("total_transacoes"),
            F.round(F.avg(revenue), 2).alias("ticket_medio"),
        )
        .orderBy(F.col("total_receita").desc())
    )


def main(argv):
    if len(argv) != 4:
        print("usage: processar_vendas.py <input_path> <output_path> <run_date>", file=sys.stderr)
        return 2
    input_path, output_path, run_date = argv[1], argv[2], argv[3]

    spark = (
        SparkSession.builder.appName("processar-vendas")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .getOrCreate()
    )
    sales = (
        spark.read.option("header", "true")
        .schema("data DATE, produto STRING, quantidade INT, preco_unitario DECIMAL(12,2), vendedor STRING")
        .csv(input_path)
    )
    result = aggregate_sales(sales).withColumn("run_date", F.lit(run_date))
    result.show(truncate=False)
    result.write.mode("overwrite").partitionBy("run_date").parquet(output_path)
    print(f"wrote {result.count()} sellers to {output_path}/run_date={run_date}")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Per-seller sales aggregates for one date (the course's processar_vendas job), as partitioned Parquet.

Usage:
  spark-submit --files processar_vendas.sql processar_vendas.py \\
      --input s3://<raw>/samples/vendas/data_venda=2025-09-01/ \\
      --output s3://<curated>/vendas_por_vendedor \\
      --rejects s3://<curated>/rejects/vendas_por_vendedor \\
      --run-date 2025-09-01 --max-reject-percent 5

  --input               the run date's input folder: CSV files with the header
                        data,produto,quantidade,preco_unitario,vendedor
  --output              receives <output>/run_date=<run date>/ (Parquet); dynamic partition
                        overwrite replaces only that date, so re-running a date is idempotent
  --rejects             receives <rejects>/run_date=<run date>/ (CSV): every rejected row as read,
                        with its reason; replaced on every run of the date (empty when none)
  --run-date            YYYY-MM-DD; rows dated otherwise are rejected (other_date)
  --max-reject-percent  0-100; more rejected rows than this fails the run and leaves the date's
                        previous output untouched (default 5)

The transformation is processar_vendas.sql, shipped next to this file: this driver only sets its
parameters, runs its statements, logs the counts, writes the results and decides the exit code.
The same SQL runs on Apache Spark in the platform's tests (SalesJobSparkTest).
"""
import argparse
import datetime
import re
import sys
from pathlib import Path

SQL_FILE = "processar_vendas.sql"
# Values go into the SQL by Spark's variable substitution: allow nothing that could end a literal.
PATH = re.compile(r"^(s3|s3a|file)://[^'\\\s]+$|^/[^'\\\s]+$")


def arguments(argv):
    parser = argparse.ArgumentParser(prog="processar_vendas.py", description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--rejects", required=True)
    parser.add_argument("--run-date", required=True)
    parser.add_argument("--max-reject-percent", type=int, default=5)
    args = parser.parse_args(argv)
    for name in ("input", "output", "rejects"):
        if not PATH.match(getattr(args, name)):
            parser.error(f"--{name} must be an s3:// or file path without quotes or spaces, got {getattr(args, name)!r}")
    try:
        if datetime.date.fromisoformat(args.run_date).isoformat() != args.run_date:
            raise ValueError
    except ValueError:
        parser.error(f"--run-date must be a date YYYY-MM-DD, got {args.run_date!r}")
    if not 0 <= args.max_reject_percent <= 100:
        parser.error(f"--max-reject-percent must be 0-100, got {args.max_reject_percent}")
    return args


def statements(sql):
    """The SQL file's statements: each ends with ';' at the end of a line (comment-only parts skipped)."""
    for part in re.split(r";[ \t]*(?:\n|$)", sql):
        if any(line.strip() and not line.strip().startswith("--") for line in part.splitlines()):
            yield part


def sql_text(spark):
    """processar_vendas.sql next to this script (cluster mode, local runs), else Spark's copy (--files)."""
    candidates = [Path(__file__).resolve().with_name(SQL_FILE), Path.cwd() / SQL_FILE]
    try:
        from pyspark import SparkFiles
        candidates.append(Path(SparkFiles.get(SQL_FILE)))
    except Exception:  # no SparkContext files: the first two places are all there is
        pass
    for candidate in candidates:
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError(f"{SQL_FILE} not found in {[str(c) for c in candidates]}: pass it with --files")


def run(spark, args):
    """Runs the job in a session; returns the process exit code."""
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    spark.conf.set("vendas.input_path", args.input)
    spark.conf.set("vendas.run_date", args.run_date)
    spark.conf.set("vendas.max_reject_percent", str(args.max_reject_percent))
    for statement in statements(sql_text(spark)):
        spark.sql(statement)

    summary = spark.table("vendas_resumo").first()
    reasons = {r["motivo"]: r["n"] for r in spark.sql(
        "SELECT motivo, COUNT(*) AS n FROM vendas_rejeitadas GROUP BY motivo ORDER BY motivo").collect()}
    print(f"run_date={args.run_date}: read {summary['linhas']} rows from {args.input}, "
          f"rejected {summary['rejeitadas']} (limit {args.max_reject_percent}%)"
          + "".join(f", {reason}={count}" for reason, count in reasons.items()))

    # Always replaced, so a corrected re-run leaves no stale rejects behind.
    rejects = f"{args.rejects.rstrip('/')}/run_date={args.run_date}"
    spark.table("vendas_rejeitadas").write.mode("overwrite").option("header", True).csv(rejects)
    if summary["rejeitadas"]:
        print(f"rejected rows with their reason: {rejects}")

    if summary["falhar"]:
        why = "no input rows" if summary["linhas"] == 0 else (
            f"{summary['rejeitadas']} of {summary['linhas']} rows rejected, more than {args.max_reject_percent}%")
        print(f"FAILED run_date={args.run_date}: {why}; the output for this date was not written", file=sys.stderr)
        return 1

    result = spark.table("vendas_por_vendedor")
    result.orderBy(result["total_receita"].desc()).show(truncate=False)
    result.write.mode("overwrite").partitionBy("run_date").parquet(args.output)
    print(f"wrote {result.count()} sellers to {args.output.rstrip('/')}/run_date={args.run_date}")
    return 0


def main(argv):
    args = arguments(argv[1:])
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName(f"processar-vendas-{args.run_date}").getOrCreate()
    try:
        return run(spark, args)
    finally:
        spark.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv))

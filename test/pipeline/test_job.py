"""The sample Spark job's driver (processar_vendas.py) around its SQL, with a recording fake Spark.

PySpark cannot be installed here (no PyPI). The SQL itself runs on real Apache Spark in
SalesJobSparkTest; this checks what only the driver decides: the arguments it accepts, the
parameters it gives the SQL, that it runs the same statements SalesJobSparkTest runs (same split),
what it writes, and its exit code (a non-zero exit fails the EMR step and so the Airflow run).

Run: /usr/bin/python3 test/pipeline/test_job.py   (DagTemplatesTest runs it in `mvn test`)
"""
import contextlib
import importlib.util
import io
import pathlib
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
JOB = ROOT / "src/main/resources/pipeline/jobs/processar_vendas.py"
SQL = JOB.with_name("processar_vendas.sql")


def load_job():
    spec = importlib.util.spec_from_file_location("processar_vendas", JOB)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeWriter:
    def __init__(self, spark, table):
        self.spark, self.table, self.how = spark, table, {}

    def mode(self, mode):
        self.how["mode"] = mode
        return self

    def option(self, key, value):
        self.how[key] = value
        return self

    def partitionBy(self, *columns):
        self.how["partitionBy"] = columns
        return self

    def csv(self, path):
        self.spark.writes.append((self.table, "csv", path, self.how))

    def parquet(self, path):
        self.spark.writes.append((self.table, "parquet", path, self.how))


class FakeFrame:
    def __init__(self, spark, name, rows=()):
        self.spark, self.name, self.rows = spark, name, list(rows)

    def first(self):
        return self.rows[0]

    def collect(self):
        return self.rows

    @property
    def write(self):
        return FakeWriter(self.spark, self.name)

    def __getitem__(self, column):
        return type("Column", (), {"desc": lambda _self: column})()

    def orderBy(self, *_):
        return self

    def show(self, **_):
        pass

    def count(self):
        return 2


class FakeSpark:
    def __init__(self, rows, rejected):
        self.conf_values, self.statements, self.writes = {}, [], []
        self.summary = {"linhas": rows, "rejeitadas": rejected}
        self.conf = type("Conf", (), {"set": lambda _self, k, v: self.conf_values.__setitem__(k, v)})()

    def sql(self, statement):
        if statement.lstrip().startswith("SELECT motivo, COUNT(*)"):
            return FakeFrame(self, "reasons", [{"motivo": "invalid_date", "n": self.summary["rejeitadas"]}]
                             if self.summary["rejeitadas"] else [])
        self.statements.append(statement)
        return FakeFrame(self, "statement")

    def table(self, name):
        if name == "vendas_resumo":
            # What the SQL's vendas_resumo computes, for the limit the driver passed.
            rows, rejected = self.summary["linhas"], self.summary["rejeitadas"]
            limit = int(self.conf_values["vendas.max_reject_percent"])
            return FakeFrame(self, name, [dict(self.summary, falhar=rows == 0 or rejected * 100 > limit * rows)])
        return FakeFrame(self, name)


ARGS = ["--input=s3://raw/samples/vendas/data_venda=2025-09-01/", "--output=s3://curated/vendas_por_vendedor",
        "--rejects=s3://curated/rejects/vendas_por_vendedor", "--run-date=2025-09-01", "--max-reject-percent=10"]


class JobDriverTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.job = load_job()

    def run_job(self, rows, rejected):
        spark = FakeSpark(rows, rejected)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = self.job.run(spark, self.job.arguments(ARGS))
        return code, spark, out.getvalue() + err.getvalue()

    def test_a_good_run_sets_the_parameters_runs_every_statement_and_writes_the_date(self):
        code, spark, log = self.run_job(rows=100, rejected=3)
        self.assertEqual(code, 0)
        self.assertEqual(spark.conf_values, {
            "spark.sql.sources.partitionOverwriteMode": "dynamic",
            "vendas.input_path": "s3://raw/samples/vendas/data_venda=2025-09-01/",
            "vendas.run_date": "2025-09-01", "vendas.max_reject_percent": "10"})
        self.assertEqual(spark.statements, list(self.job.statements(SQL.read_text())))
        self.assertEqual([(t, f, p, h.get("mode"), h.get("partitionBy")) for t, f, p, h in spark.writes], [
            ("vendas_rejeitadas", "csv", "s3://curated/rejects/vendas_por_vendedor/run_date=2025-09-01", "overwrite", None),
            ("vendas_por_vendedor", "parquet", "s3://curated/vendas_por_vendedor", "overwrite", ("run_date",))])
        self.assertIn("read 100 rows", log)
        self.assertIn("rejected 3 (limit 10%), invalid_date=3", log)

    def test_too_many_rejects_fail_without_touching_the_output(self):
        code, spark, log = self.run_job(rows=100, rejected=11)
        self.assertEqual(code, 1)
        self.assertEqual([w[0] for w in spark.writes], ["vendas_rejeitadas"])
        self.assertIn("11 of 100 rows rejected, more than 10%", log)

    def test_no_input_rows_fail(self):
        code, spark, log = self.run_job(rows=0, rejected=0)
        self.assertEqual(code, 1)
        self.assertIn("no input rows", log)

    def test_the_sql_splits_into_the_statements_the_spark_test_runs(self):
        statements = list(self.job.statements(SQL.read_text()))
        # SalesJobSparkTest.theSqlSplitsIntoSixStatements asserts the same count with its own splitter.
        self.assertEqual(len(statements), 6, statements)
        self.assertTrue(all("CREATE OR REPLACE TEMPORARY VIEW" in s or "CACHE TABLE" in s for s in statements))

    def test_the_driver_is_python_3_9_as_on_emr_7(self):
        # EMR 7.x runs PySpark drivers on Python 3.9 (Application versions in Amazon EMR 7.x releases);
        # the grammar check is ast's (best effort: it catches syntax newer than 3.9, such as match).
        import ast
        ast.parse(JOB.read_text(), feature_version=(3, 9))
        with self.assertRaises(SyntaxError):
            ast.parse("match x:\n    case 1:\n        pass\n", feature_version=(3, 9))

    def test_bad_arguments_are_refused_before_spark_starts(self):
        for bad, message in (("--run-date=01/09/2025", "--run-date must be a date"),
                             ("--run-date=2025-9-1", "--run-date must be a date"),
                             ("--max-reject-percent=101", "0-100"),
                             ("--input=s3://raw/it's", "without quotes"),
                             ("--output=s3://x/a b", "without quotes")):
            with self.subTest(bad):
                args = [a for a in ARGS if a.split("=")[0] != bad.split("=")[0]] + [bad]
                err = io.StringIO()
                with contextlib.redirect_stderr(err), self.assertRaises(SystemExit) as exit_:
                    self.job.arguments(args)
                self.assertEqual(exit_.exception.code, 2)
                self.assertIn(message, err.getvalue())


if __name__ == "__main__":
    unittest.main(verbosity=2)

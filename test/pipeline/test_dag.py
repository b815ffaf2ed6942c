"""The sample DAG's templated requests, rendered with real Jinja and checked against botocore's EMR model.

Airflow cannot be installed here (no PyPI), but what matters on AWS is what its templates render to:
this renders every templated field of JOB_FLOW_OVERRIDES and SPARK_STEPS the way the DAG asks Airflow
to (render_template_as_native_obj=True: Jinja's NativeEnvironment; Airflow's default StrictUndefined),
for a scheduled run, a manual run without a logical date (Airflow 3: no `ds`), and a manual run with the
run_date param, then validates the RunJobFlow and AddJobFlowSteps requests with botocore's own
ParamValidator and EMR service model (Debian: python3-jinja2, python3-botocore).

Run: /usr/bin/python3 test/pipeline/test_dag.py   (DagTemplatesTest runs it in `mvn test`)
"""
import ast
import datetime
import json
import pathlib
import re
import unittest

import botocore.session
import jinja2
import jinja2.nativetypes
from botocore.validate import ParamValidator

ROOT = pathlib.Path(__file__).resolve().parents[2]
DAG = ROOT / "src/main/resources/pipeline/dags/pipeline_emr.py"
CONSTANTS = ("INPUT_PREFIX", "JOB_KEY", "JOB_SQL_KEY", "OUTPUT_PREFIX", "REJECTS_PREFIX", "CLUSTER_ID", "_RUN_DATE",
             "RUN_DATE", "RUN_DATE_NODASH", "INPUT_FOLDER", "JOB_FLOW_OVERRIDES", "SPARK_STEPS")
JOB = ROOT / "src/main/resources/pipeline/jobs/processar_vendas.py"

# What the scheduler provides as AIRFLOW_VAR_* (PipelineVariables.java), with realistic values.
VARIABLES = {
    "platform_project": "dataplat", "platform_environment": "dev", "aws_region": "eu-west-1",
    "raw_bucket": "dataplat-dev-datalake-rawbucket-abc", "curated_bucket": "dataplat-dev-datalake-curatedbucket-abc",
    "artifacts_bucket": "dataplat-dev-datalake-artifactsbucket-abc", "logs_bucket": "dataplat-dev-datalake-logsbucket-abc",
    "emr_log_uri": "s3://dataplat-dev-datalake-logsbucket-abc/emr/", "emr_release_label": "emr-7.13.0",
    "emr_service_role": "dataplat-dev-emr-RolesServiceRole-ABC", "emr_instance_profile": "dataplat-dev-emr-nodes-eu-west-1",
    "emr_autoscaling_role": "dataplat-dev-emr-RolesAutoScalingRole-ABC", "emr_security_configuration": "SecurityConfiguration-ABC",
    "emr_subnet_id": "subnet-0123456789abcdef0", "emr_primary_sg": "sg-0123456789abcdef1", "emr_core_sg": "sg-0123456789abcdef2",
    "emr_service_access_sg": "sg-0123456789abcdef3", "emr_primary_instance_type": "m7g.xlarge",
    "emr_core_instance_type": "m7g.xlarge", "emr_core_instance_count": "2", "emr_core_market": "SPOT",
    "emr_idle_timeout_seconds": "1800", "pipeline_max_reject_percent": "5",
}


def dag_constants():
    """The DAG's module-level request constants, evaluated without importing Airflow."""
    tree = ast.parse(DAG.read_text())
    namespace = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and getattr(node.targets[0], "id", None) in CONSTANTS:
            exec(compile(ast.Module(body=[node], type_ignores=[]), str(DAG), "exec"), {}, namespace)
    missing = set(CONSTANTS) - set(namespace)
    assert not missing, f"the DAG no longer defines {missing}"
    return namespace


# The templated fields the DAG sets, per operator (the Amazon provider's template_fields).
OPERATORS = {
    "S3KeySensor": ("bucket_name", "bucket_key"),
    "EmrCreateJobFlowOperator": ("job_flow_overrides",),
    "EmrAddStepsOperator": ("job_flow_id", "steps"),
    "EmrStepSensor": ("job_flow_id", "step_id"),
    "EmrTerminateJobFlowOperator": ("job_flow_id",),
}


def operator_fields(constants):
    """{(task_id, field): value} of every templated field of every operator call in the DAG."""
    fields = {}
    for node in ast.walk(ast.parse(DAG.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in OPERATORS:
            keywords = {k.arg: k.value for k in node.keywords}
            task_id = keywords["task_id"].value
            for field in OPERATORS[node.func.id]:
                if field in keywords:
                    value = eval(compile(ast.Expression(keywords[field]), str(DAG), "eval"), {}, dict(constants))
                    fields[(task_id, field)] = value
    return fields


def renders_native_objects():
    """Whether the DAG asks Airflow for native rendering (else every field renders as a string)."""
    for node in ast.walk(ast.parse(DAG.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "DAG":
            for keyword in node.keywords:
                if keyword.arg == "render_template_as_native_obj":
                    return isinstance(keyword.value, ast.Constant) and keyword.value.value is True
    return False


class DagRun:
    def __init__(self, logical_date, run_after):
        self.logical_date = logical_date
        self.run_after = run_after


def context(logical_date, run_after, run_date=None):
    return {
        "var": {"value": VARIABLES},
        "params": {"run_date": run_date},
        "dag_run": DagRun(logical_date, run_after),
        # What the operators push: RunJobFlow's cluster id, AddJobFlowSteps' list of step ids.
        "task_instance": type("TI", (), {"xcom_pull": staticmethod(
            lambda task_ids: {"criar_cluster_emr": "j-2AXXXXXXGAPLF", "adicionar_steps_spark": ["s-1STEPID0000"]}[task_ids])})(),
        # Airflow 3 puts ds/ds_nodash in the context only when the run has a logical date.
        **({"ds": logical_date.strftime("%Y-%m-%d"), "ds_nodash": logical_date.strftime("%Y%m%d")} if logical_date else {}),
    }


def render(value, ctx, env):
    if isinstance(value, str):
        return env.from_string(value).render(**ctx) if "{{" in value else value
    if isinstance(value, dict):
        return {k: render(v, ctx, env) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, ctx, env) for v in value]
    return value


UTC = datetime.timezone.utc
SCHEDULED = ("scheduled run", datetime.datetime(2025, 9, 1, tzinfo=UTC), datetime.datetime(2025, 9, 2, tzinfo=UTC), None, "2025-09-01")
MANUAL = ("manual run, no logical date", None, datetime.datetime(2025, 9, 5, 10, 30, tzinfo=UTC), None, "2025-09-05")
RERUN = ("manual run with run_date", None, datetime.datetime(2025, 9, 5, 10, 30, tzinfo=UTC), "2025-09-03", "2025-09-03")


class DagTemplatesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.constants = dag_constants()
        # As Airflow renders: native types only when the DAG asks for them; StrictUndefined is its default.
        native = renders_native_objects()
        cls.env = (jinja2.nativetypes.NativeEnvironment if native else jinja2.Environment)(undefined=jinja2.StrictUndefined)
        emr = botocore.session.get_session().get_service_model("emr", api_version="2009-03-31")
        cls.run_job_flow = emr.operation_model("RunJobFlow").input_shape
        cls.add_steps = emr.operation_model("AddJobFlowSteps").input_shape

    def rendered(self, case):
        _, logical, after, run_date, _ = case
        ctx = context(logical, after, run_date)
        return (render(self.constants["JOB_FLOW_OVERRIDES"], ctx, self.env),
                render(self.constants["SPARK_STEPS"], ctx, self.env))

    def rendered_sensor_key(self, case):
        _, logical, after, run_date, _ = case
        return render(self.constants["INPUT_FOLDER"] + "*.csv", context(logical, after, run_date), self.env)

    def assertValid(self, params, shape, what):
        report = ParamValidator().validate(params, shape)
        self.assertFalse(report.has_errors(), f"{what} is not a valid request for botocore's EMR model:\n{report.generate_report()}")

    def test_every_trigger_renders_valid_requests_for_its_date(self):
        for case in (SCHEDULED, MANUAL, RERUN):
            with self.subTest(case[0]):
                flow, steps = self.rendered(case)
                self.assertValid(flow, self.run_job_flow, "RunJobFlow")
                self.assertValid({"JobFlowId": "j-2AXXXXXXGAPLF", "Steps": steps}, self.add_steps, "AddJobFlowSteps")
                date = case[4]
                self.assertEqual(flow["Name"], "dataplat-dev-pipeline-emr-" + date.replace("-", ""))
                args = steps[0]["HadoopJarStep"]["Args"]
                self.assertIn("--run-date=" + date, args)
                # The date's input folder only, in the layout the sensor waits for.
                self.assertIn(f"--input=s3://{VARIABLES['raw_bucket']}/samples/vendas/data_venda={date}/", args)
                self.assertEqual(self.rendered_sensor_key(case), f"samples/vendas/data_venda={date}/*.csv")

    def test_the_step_runs_the_shipped_job_with_its_sql_and_arguments_it_accepts(self):
        _, steps = self.rendered(SCHEDULED)
        args = steps[0]["HadoopJarStep"]["Args"]
        artifacts = f"s3://{VARIABLES['artifacts_bucket']}/"
        self.assertEqual(args[:6], ["spark-submit", "--deploy-mode", "cluster", "--files",
                                    artifacts + "jobs/processar_vendas.sql", artifacts + "jobs/processar_vendas.py"])
        self.assertIn("--max-reject-percent=5", args)
        self.assertIn(f"--rejects=s3://{VARIABLES['curated_bucket']}/rejects/vendas_por_vendedor", args)
        # The job's own argument parser accepts exactly what the step passes (no pyspark needed to parse).
        import importlib.util
        spec = importlib.util.spec_from_file_location("processar_vendas", JOB)
        job = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(job)
        parsed = job.arguments(args[6:])
        self.assertEqual((parsed.run_date, parsed.max_reject_percent), ("2025-09-01", 5))
        self.assertEqual(parsed.input, f"s3://{VARIABLES['raw_bucket']}/samples/vendas/data_venda=2025-09-01/")

    def test_every_templated_field_of_every_operator_renders_to_a_valid_request(self):
        fields = operator_fields(self.constants)
        self.assertEqual({task for task, _ in fields}, {"aguardar_entrada", "criar_cluster_emr", "adicionar_steps_spark",
                                                        "aguardar_step_spark", "terminar_cluster_emr"})
        s3 = botocore.session.get_session().get_service_model("s3").operation_model("ListObjectsV2").input_shape
        emr = botocore.session.get_session().get_service_model("emr", api_version="2009-03-31")
        for case in (SCHEDULED, MANUAL, RERUN):
            with self.subTest(case[0]):
                _, logical, after, run_date, date = case
                ctx = context(logical, after, run_date)
                r = {key: render(value, ctx, self.env) for key, value in fields.items()}
                self.assertNotIn("{{", repr(r))
                # The wildcard sensor lists the date's folder (ListObjectsV2 with the key's fixed prefix).
                key = r[("aguardar_entrada", "bucket_key")]
                self.assertEqual(key, f"samples/vendas/data_venda={date}/*.csv")
                self.assertValid({"Bucket": r[("aguardar_entrada", "bucket_name")], "Prefix": key.split("*")[0]}, s3,
                                 "ListObjectsV2")
                self.assertValid(r[("criar_cluster_emr", "job_flow_overrides")], self.run_job_flow, "RunJobFlow")
                self.assertValid({"JobFlowId": r[("adicionar_steps_spark", "job_flow_id")],
                                  "Steps": r[("adicionar_steps_spark", "steps")]}, self.add_steps, "AddJobFlowSteps")
                self.assertValid({"ClusterId": r[("aguardar_step_spark", "job_flow_id")],
                                  "StepId": r[("aguardar_step_spark", "step_id")]},
                                 emr.operation_model("DescribeStep").input_shape, "DescribeStep")
                self.assertEqual(r[("aguardar_step_spark", "step_id")], "s-1STEPID0000")
                self.assertValid({"JobFlowIds": [r[("terminar_cluster_emr", "job_flow_id")]]},
                                 emr.operation_model("TerminateJobFlows").input_shape, "TerminateJobFlows")

    def test_integers_render_as_integers(self):
        flow, _ = self.rendered(SCHEDULED)
        groups = {g["Name"]: g for g in flow["Instances"]["InstanceGroups"]}
        self.assertIs(type(groups["core"]["InstanceCount"]), int)
        self.assertIs(type(flow["AutoTerminationPolicy"]["IdleTimeout"]), int)
        self.assertEqual(flow["AutoTerminationPolicy"]["IdleTimeout"], 1800)

    def test_the_cluster_carries_the_tags_the_managed_policies_and_the_guard_need(self):
        flow, _ = self.rendered(SCHEDULED)
        tags = {t["Key"]: t["Value"] for t in flow["Tags"]}
        self.assertEqual(tags["for-use-with-amazon-emr-managed-policies"], "true")
        self.assertEqual((tags["Project"], tags["Environment"]), ("dataplat", "dev"))
        self.assertEqual(flow["JobFlowRole"], VARIABLES["emr_instance_profile"])

    def test_the_emr_alarms_select_the_clusters_the_dag_starts(self):
        # The dev synth (its snapshot, which SnapshotTest keeps equal to the synth): the scheduler's
        # AIRFLOW_VAR_* give the tags, the monitoring stack's EMR alarms filter on tags. Every condition of
        # each alarm's WHERE clause must hold for the rendered cluster, or its metrics never reach the alarm.
        snapshots = ROOT / "test/resources/snapshots/dev"
        scheduler = (snapshots / "scheduler.json").read_text()
        variables = dict(VARIABLES)
        for name in ("platform_project", "platform_environment"):
            found = re.search("AIRFLOW_VAR_" + name.upper() + r"=([a-z0-9-]+)", scheduler)
            self.assertIsNotNone(found, f"the scheduler no longer sets AIRFLOW_VAR_{name.upper()}")
            variables[name] = found.group(1)
        _, logical, after, run_date, _ = SCHEDULED
        ctx = dict(context(logical, after, run_date), var={"value": variables})
        tags = {t["Key"]: t["Value"] for t in render(self.constants["JOB_FLOW_OVERRIDES"], ctx, self.env)["Tags"]}
        monitoring = json.loads((snapshots / "monitoring.json").read_text())
        queries = {r["Properties"]["AlarmName"]: r["Properties"]["Metrics"][0]["Expression"]
                   for r in monitoring["Resources"].values()
                   if r["Type"] == "AWS::CloudWatch::Alarm" and "AWS/ElasticMapReduce" in json.dumps(r["Properties"].get("Metrics", ""))}
        self.assertEqual(len(queries), 4, queries)
        for name, query in queries.items():
            with self.subTest(name):
                where = re.fullmatch(r'SELECT \w+\(\w+\) FROM SCHEMA\("AWS/ElasticMapReduce", JobFlowId\) WHERE (.+) '
                                     r'GROUP BY JobFlowId ORDER BY \w+\(\) DESC', query)
                self.assertIsNotNone(where, f"{name}: not a per-cluster query filtered by tags: {query}")
                for condition in where.group(1).split(" AND "):
                    tag = re.fullmatch(r"tag\.([A-Za-z][A-Za-z0-9_]*) = '([^']*)'", condition)
                    self.assertIsNotNone(tag, f"{name}: condition this test cannot judge: {condition}")
                    self.assertEqual(tags.get(tag.group(1)), tag.group(2), f"{name}: {condition}, cluster tags {tags}")

    def test_no_no_op_or_unused_fields(self):
        flow, _ = self.rendered(SCHEDULED)
        # VisibleToAllUsers is ignored by EMR; an auto-scaling role without a scaling policy scales nothing.
        self.assertNotIn("VisibleToAllUsers", flow)
        self.assertNotIn("AutoScalingRole", flow)

    def test_nothing_depends_on_ds(self):
        source = DAG.read_text()
        self.assertNotIn("{{ ds", source, "Airflow 3 runs triggered without a logical date have no ds/ds_nodash")


if __name__ == "__main__":
    unittest.main(verbosity=2)

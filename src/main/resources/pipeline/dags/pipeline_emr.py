"""pipeline_emr: per-seller sales aggregates of one date on a transient EMR cluster.

Waits for the date's input CSV in the raw bucket, starts a transient EMR cluster with the
platform's roles, security groups, private subnet and security configuration, runs the Spark job
from the artifacts bucket, waits for it, and always terminates the cluster (even when a step
failed), with an idle auto-termination policy as a second safety net.

Input: every CSV file under raw/samples/vendas/data_venda=<RUN_DATE>/ (one folder per sale date;
rows dated otherwise are rejected). Output: Parquet under curated/vendas_por_vendedor/run_date=
<RUN_DATE>/ (a re-run replaces only that date); rejected rows with their reason as CSV under
curated/rejects/vendas_por_vendedor/run_date=<RUN_DATE>/. The step, and so the run, fails when more
than PIPELINE_MAX_REJECT_PERCENT percent of the rows are rejected, leaving the date's output as it was.

No bucket, role, subnet or group name is written here: every one is an Airflow Variable that the
scheduler provides as an AIRFLOW_VAR_<NAME> environment variable. Variables read:

  AIRFLOW_VAR_PLATFORM_PROJECT           project tag of the platform (e.g. dataplat)
  AIRFLOW_VAR_PLATFORM_ENVIRONMENT       environment tag (e.g. dev)
  AIRFLOW_VAR_RAW_BUCKET                 bucket holding the input CSV
  AIRFLOW_VAR_CURATED_BUCKET             bucket receiving the Parquet output
  AIRFLOW_VAR_ARTIFACTS_BUCKET           bucket holding jobs/processar_vendas.py
  AIRFLOW_VAR_EMR_LOG_URI                s3:// prefix for cluster logs
  AIRFLOW_VAR_EMR_RELEASE_LABEL          EMR release, e.g. emr-7.13.0
  AIRFLOW_VAR_EMR_SERVICE_ROLE           EMR service role name
  AIRFLOW_VAR_EMR_INSTANCE_PROFILE       instance profile of the cluster nodes
  AIRFLOW_VAR_EMR_SECURITY_CONFIGURATION EMR security configuration name
  AIRFLOW_VAR_EMR_SUBNET_ID              private subnet for the cluster
  AIRFLOW_VAR_EMR_PRIMARY_SG             EMR-managed security group of the primary node
  AIRFLOW_VAR_EMR_CORE_SG                EMR-managed security group of core and task nodes
  AIRFLOW_VAR_EMR_SERVICE_ACCESS_SG      EMR service-access security group
  AIRFLOW_VAR_EMR_PRIMARY_INSTANCE_TYPE  instance type of the primary node (on demand)
  AIRFLOW_VAR_EMR_CORE_INSTANCE_TYPE     instance type of the core nodes
  AIRFLOW_VAR_EMR_CORE_INSTANCE_COUNT    number of core nodes
  AIRFLOW_VAR_EMR_CORE_MARKET            SPOT or ON_DEMAND for the core nodes
  AIRFLOW_VAR_EMR_IDLE_TIMEOUT_SECONDS   idle seconds before EMR terminates the cluster itself
  AIRFLOW_VAR_PIPELINE_MAX_REJECT_PERCENT share of rejected rows (0-100) above which a run fails

The date a run processes is RUN_DATE: the run_date param when given (UI "Trigger DAG w/ config",
`airflow dags trigger pipeline_emr --conf '{"run_date": "2025-09-01"}'`), else the run's logical
date (scheduled runs, backfills), else the date the run was triggered: Airflow 3 gives manual runs
without a logical date no `ds`, so the DAG never uses it.
"""
from __future__ import annotations

import pendulum
from airflow.providers.amazon.aws.operators.emr import (
    EmrAddStepsOperator,
    EmrCreateJobFlowOperator,
    EmrTerminateJobFlowOperator,
)
from airflow.providers.amazon.aws.sensors.emr import EmrStepSensor
from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor
from airflow.sdk import DAG, Param, task

INPUT_PREFIX = "samples/vendas/"
JOB_KEY = "jobs/processar_vendas.py"
JOB_SQL_KEY = "jobs/processar_vendas.sql"
OUTPUT_PREFIX = "vendas_por_vendedor"
REJECTS_PREFIX = "rejects/vendas_por_vendedor"
CLUSTER_ID = "{{ task_instance.xcom_pull(task_ids='criar_cluster_emr') }}"
_RUN_DATE = "(params.run_date or (dag_run.logical_date or dag_run.run_after).strftime('%Y-%m-%d'))"
RUN_DATE = "{{ " + _RUN_DATE + " }}"
RUN_DATE_NODASH = "{{ " + _RUN_DATE + " | replace('-', '') }}"
INPUT_FOLDER = INPUT_PREFIX + "data_venda=" + RUN_DATE + "/"

JOB_FLOW_OVERRIDES = {
    "Name": "{{ var.value.platform_project }}-{{ var.value.platform_environment }}-pipeline-emr-" + RUN_DATE_NODASH,
    "ReleaseLabel": "{{ var.value.emr_release_label }}",
    "Applications": [{"Name": "Spark"}],
    "LogUri": "{{ var.value.emr_log_uri }}",
    "ServiceRole": "{{ var.value.emr_service_role }}",
    "JobFlowRole": "{{ var.value.emr_instance_profile }}",
    "SecurityConfiguration": "{{ var.value.emr_security_configuration }}",
    "AutoTerminationPolicy": {"IdleTimeout": "{{ var.value.emr_idle_timeout_seconds }}"},
    "Instances": {
        "Ec2SubnetId": "{{ var.value.emr_subnet_id }}",
        "EmrManagedMasterSecurityGroup": "{{ var.value.emr_primary_sg }}",
        "EmrManagedSlaveSecurityGroup": "{{ var.value.emr_core_sg }}",
        "ServiceAccessSecurityGroup": "{{ var.value.emr_service_access_sg }}",
        "InstanceGroups": [
            {
                "Name": "primary",
                "Market": "ON_DEMAND",
                "InstanceRole": "MASTER",
                "InstanceType": "{{ var.value.emr_primary_instance_type }}",
                "InstanceCount": 1,
            },
            {
                "Name": "core",
                "Market": "{{ var.value.emr_core_market }}",
                "InstanceRole": "CORE",
                "InstanceType": "{{ var.value.emr_core_instance_type }}",
                "InstanceCount": "{{ var.value.emr_core_instance_count }}",
            },
        ],
        "KeepJobFlowAliveWhenNoSteps": True,
        "TerminationProtected": False,
    },
    # AmazonEMRServicePolicy_v2 only acts on resources carrying this tag; EMR copies cluster
    # tags to the instances and network interfaces it creates.
    "Tags": [
        {"Key": "for-use-with-amazon-emr-managed-policies", "Value": "true"},
        {"Key": "Project", "Value": "{{ var.value.platform_project }}"},
        {"Key": "Environment", "Value": "{{ var.value.platform_environment }}"},
        {"Key": "Pipeline", "Value": "pipeline_emr"},
    ],
}

SPARK_STEPS = [
    {
        "Name": "processar-vendas",
        "ActionOnFailure": "CONTINUE",
        "HadoopJarStep": {
            "Jar": "command-runner.jar",
            # "--name=value": rendered as native objects, a lone "5" would become the integer 5,
            # and EMR takes only strings here.
            "Args": [
                "spark-submit",
                "--deploy-mode",
                "cluster",
                "--files",
                "s3://{{ var.value.artifacts_bucket }}/" + JOB_SQL_KEY,
                "s3://{{ var.value.artifacts_bucket }}/" + JOB_KEY,
                "--input=s3://{{ var.value.raw_bucket }}/" + INPUT_FOLDER,
                "--output=s3://{{ var.value.curated_bucket }}/" + OUTPUT_PREFIX,
                "--rejects=s3://{{ var.value.curated_bucket }}/" + REJECTS_PREFIX,
                "--run-date=" + RUN_DATE,
                "--max-reject-percent={{ var.value.pipeline_max_reject_percent }}",
            ],
        },
    }
]

with DAG(
    dag_id="pipeline_emr",
    description="Per-seller sales aggregates with Spark on a transient EMR cluster",
    start_date=pendulum.datetime(2025, 9, 1, tz="UTC"),
    schedule=None,
    catchup=False,
    params={"run_date": Param(None, type=["null", "string"], format="date",
                              description="YYYY-MM-DD to process; empty: the run's own date")},
    max_active_runs=1,
    tags=["emr", "spark", "sample"],
    # Renders "{{ var.value.emr_core_instance_count }}" as the integer EMR expects.
    render_template_as_native_obj=True,
    default_args={"retries": 0},
) as dag:
    aguardar_entrada = S3KeySensor(
        task_id="aguardar_entrada",
        bucket_name="{{ var.value.raw_bucket }}",
        bucket_key=INPUT_FOLDER + "*.csv",
        wildcard_match=True,
        mode="reschedule",
        poke_interval=60,
        timeout=60 * 60,
    )
    criar_cluster = EmrCreateJobFlowOperator(
        task_id="criar_cluster_emr",
        job_flow_overrides=JOB_FLOW_OVERRIDES,
        # Everything is in JOB_FLOW_OVERRIDES: no emr_default connection to look up (and warn about).
        emr_conn_id=None,
    )
    adicionar_steps = EmrAddStepsOperator(
        task_id="adicionar_steps_spark",
        job_flow_id=CLUSTER_ID,
        steps=SPARK_STEPS,
    )
    aguardar_step = EmrStepSensor(
        task_id="aguardar_step_spark",
        job_flow_id=CLUSTER_ID,
        step_id="{{ task_instance.xcom_pull(task_ids='adicionar_steps_spark')[0] }}",
        mode="reschedule",
        poke_interval=60,
        timeout=60 * 60,
    )

    @task.short_circuit(trigger_rule="all_done", ignore_downstream_trigger_rules=False)
    def cluster_criado(cluster_id):
        # No cluster (the sensor timed out, RunJobFlow failed): skip the termination instead of
        # calling TerminateJobFlows with "None"; falhar_se_algo_falhou still fails the run.
        return cluster_id not in (None, "", "None")

    terminar_cluster = EmrTerminateJobFlowOperator(
        task_id="terminar_cluster_emr",
        job_flow_id=CLUSTER_ID,
        trigger_rule="all_done",
    )

    @task(trigger_rule="one_failed", retries=0)
    def falhar_se_algo_falhou():
        # The terminate task succeeds even after a failed step; this leaf fails the run instead.
        raise RuntimeError("an upstream task failed; see its log (a cluster it created was terminated)")

    aguardar_entrada >> criar_cluster >> adicionar_steps >> aguardar_step >> cluster_criado(CLUSTER_ID) >> terminar_cluster
    [aguardar_entrada, criar_cluster, adicionar_steps, aguardar_step] >> falhar_se_algo_falhou()

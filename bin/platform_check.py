"""The post-deploy self-check behind bin/platform-check: does the deployed platform really work?

Read-only, with the caller's own AWS credentials (botocore's usual chain: profile, environment, SSO).
Each line is PASS, WARN, FAIL or SKIP with what to do; the exit status is 1 when anything failed.
Every check runs through `Checker`, whose AWS clients tests replace with botocore's own Stubber
(test/check/test_platform_check.py), so recorded AWS answers, failures included, drive the tests.
"""
import datetime
import json
import pathlib

from botocore.exceptions import BotoCoreError, ClientError

ROOT = pathlib.Path(__file__).resolve().parents[1]
CALLS = ROOT / "src/main/resources/check/pipeline-calls.json"
# The one Observability Admin call the check makes (GetTelemetryEnrichmentStatus), as a botocore model
# written from its API reference, for botocore releases older than the service (Debian's, Ubuntu's):
# used only when the installed botocore does not know the service.
MODELS = ROOT / "src/main/resources/check/models"
SERVICES = ("cloudformation", "iam", "cloudwatch", "ec2", "s3", "observabilityadmin")
STACKS = ("network", "datalake", "emr", "query", "scheduler", "monitoring")
DONE = {"CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"}
HOST_ALARMS = ("airflow-cpu", "airflow-memory", "airflow-disk", "airflow-scheduler-heartbeat")
BACKUP_TAG = "DataPlatformBackup"
SAMPLE_FILES = (("artifacts", "dags/pipeline_emr.py", "the sample DAG"),
                ("artifacts", "jobs/processar_vendas.sql", "the sample job's SQL"),
                ("raw", "samples/vendas/data_venda=2025-09-01/dados_vendas.csv", "the sample data"))


class Result:
    def __init__(self, status, check, message, fix=""):
        self.status, self.check, self.message, self.fix = status, check, message, fix

    def line(self):
        return f"{self.status:<4}  {self.check:<10} {self.message}" + (f"\n      fix: {self.fix}" if self.fix else "")


class Platform:
    """What the local checkout says the environment is: config from cdk.json, templates from a synth."""

    def __init__(self, env, templates_dir, cdk_json=ROOT / "cdk.json"):
        platform = json.loads(pathlib.Path(cdk_json).read_text())["context"]["platform"]
        if env not in platform.get("environments", {}):
            raise SystemExit(f"unknown environment {env!r}; cdk.json has {sorted(platform.get('environments', {}))}")
        self.env = env
        self.project = platform.get("project", "dataplat")
        config = platform["environments"][env]
        scheduler = config.get("scheduler") or {}
        off_hours = scheduler.get("offHours") or {}
        self.off_hours = off_hours.get("enabled", not config.get("production", False))
        self.local_database = (scheduler.get("database") or "local") == "local"
        self.templates = {}
        for kind in STACKS:
            path = pathlib.Path(templates_dir) / f"{self.stack(kind)}.template.json"
            self.templates[kind] = json.loads(path.read_text()) if path.exists() else None

    def stack(self, kind):
        return f"{self.project}-{self.env}-{kind}"

    def emr_alarms_by_tag(self):
        """Whether the EMR alarms select clusters by tag (monitoring.emrAlarmScope: platform), None without a template."""
        if not self.templates.get("monitoring"):
            return None
        queries = [m.get("Expression", "") for a in self.alarms().values() for m in a.get("Metrics", [])]
        return any("AWS/ElasticMapReduce" in q and " tag." in q for q in queries)

    def alarms(self):
        """Alarm name to properties, from the local monitoring template."""
        template = self.templates.get("monitoring") or {"Resources": {}}
        return {r["Properties"]["AlarmName"]: r["Properties"] for r in template["Resources"].values()
                if r["Type"] in ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm") and "AlarmName" in r["Properties"]}


def error_code(error):
    return error.response.get("Error", {}).get("Code", "") if isinstance(error, ClientError) else type(error).__name__


class Checker:
    def __init__(self, platform, clients, now=None):
        self.p = platform
        self.aws = clients
        self.now = now or datetime.datetime.now(datetime.timezone.utc)
        self.results = []
        self.stack_ids = {}
        self.physical = {}
        self.outputs = {}
        self.instance_state = None

    def add(self, status, check, message, fix=""):
        self.results.append(Result(status, check, message, fix))

    def run(self):
        for step in (self.stacks, self.iam, self.airflow, self.pipeline_files, self.alarms, self.telemetry, self.backups):
            try:
                step()
            except (ClientError, BotoCoreError) as e:
                self.add("FAIL", step.__name__, f"AWS refused or failed: {error_code(e)}: {e}",
                         "check your credentials can read this account (ReadOnlyAccess is enough)")
            except Exception as e:  # an answer botocore cannot parse, or one this check did not expect: not a crash
                self.add("FAIL", step.__name__, f"unexpected answer: {type(e).__name__}: {e}",
                         "re-run; if it persists, run with the AWS CLI's --debug for the same call and report it")
        return self.results

    # ---- every stack deployed, and deployed from this checkout ----------------------------------
    def stacks(self):
        deploy = f"npx cdk deploy --all -c env={self.p.env}"
        for kind in STACKS:
            name = self.p.stack(kind)
            try:
                stack = self.aws["cloudformation"].describe_stacks(StackName=name)["Stacks"][0]
            except ClientError as e:
                if error_code(e) == "ValidationError":
                    self.add("FAIL", "stacks", f"{name} is not deployed", deploy)
                    continue
                raise
            self.stack_ids[kind] = stack["StackId"]
            if stack["StackStatus"] not in DONE:
                self.add("FAIL", "stacks", f"{name} is {stack['StackStatus']}",
                         "read the stack's events in the CloudFormation console, fix, deploy again")
                continue
            local = self.p.templates.get(kind)
            deployed = self.aws["cloudformation"].get_template(StackName=name, TemplateStage="Original")["TemplateBody"]
            deployed = json.loads(deployed) if isinstance(deployed, str) else deployed
            if local is None:
                self.add("WARN", "stacks", f"{name} deployed; no local template to compare (synth first)")
            elif deployed != local:
                self.add("FAIL", "stacks", f"{name} differs from this checkout's synth",
                         f"npx cdk diff -c env={self.p.env}, then {deploy}")
            else:
                self.add("PASS", "stacks", f"{name} {stack['StackStatus']}, same template as this checkout")

    def resources(self, kind):
        if kind not in self.physical:
            found = self.aws["cloudformation"].describe_stack_resources(StackName=self.p.stack(kind))["StackResources"]
            self.physical[kind] = {(r["ResourceType"], r["LogicalResourceId"]): r.get("PhysicalResourceId") for r in found}
        return self.physical[kind]

    def physical_id(self, kind, resource_type, prefix):
        ids = [pid for (rtype, logical), pid in self.resources(kind).items() if rtype == resource_type and logical.startswith(prefix)]
        if len(ids) != 1:
            raise LookupError(f"{self.p.stack(kind)} has {len(ids)} {resource_type} {prefix}*")
        return ids[0]

    def arn_parts(self):
        # arn:<partition>:cloudformation:<region>:<account>:stack/...
        _, partition, _, region, account, _ = self.stack_ids["scheduler"].split(":", 5)
        return partition, region, account

    def output(self, kind, key):
        if kind not in self.outputs:
            stack = self.aws["cloudformation"].describe_stacks(StackName=self.p.stack(kind))["Stacks"][0]
            self.outputs[kind] = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
        return self.outputs[kind].get(key)

    # ---- the pipeline's IAM calls, asked of AWS's own policy simulator --------------------------
    def iam(self):
        if not {"scheduler", "emr", "datalake"} <= set(self.stack_ids):
            self.add("SKIP", "iam", "needs the scheduler, emr and datalake stacks")
            return
        partition, region, account = self.arn_parts()
        # Looked up in a fixed order (tests replay recorded answers in order).
        self.resources("scheduler")
        self.resources("emr")
        self.output("datalake", "RawBucketName")

        def role(ref):
            kind, prefix = ref.split(":")
            return f"arn:{partition}:iam::{account}:role/{self.physical_id(kind, 'AWS::IAM::Role', prefix)}"

        def resource(ref):
            if ref == "*":
                return "*"
            if ref == "cluster":
                return f"arn:{partition}:elasticmapreduce:{region}:{account}:cluster/j-PLATFORMCHECK"
            kind, rest = ref.split(":", 1)
            if kind == "role":
                return role(rest)
            if kind == "secret":
                stack, prefix = rest.split(":")
                return self.physical_id(stack, "AWS::SecretsManager::Secret", prefix)
            if kind == "object":
                bucket, key = rest.split(":", 1)
                return f"arn:{partition}:s3:::{self.output('datalake', bucket.capitalize() + 'BucketName')}/{key}"
            raise ValueError(ref)

        failed = 0
        calls = json.loads(CALLS.read_text())["calls"]
        def value(text):
            return text.replace("${project}", self.p.project).replace("${env}", self.p.env)

        for call in calls:
            entries = [{"ContextKeyName": k, "ContextKeyValues": [value(x) for x in v] if isinstance(v, list) else [value(v)],
                        "ContextKeyType": "stringList" if isinstance(v, list) else "string"} for k, v in call["context"].items()]
            answer = self.aws["iam"].simulate_principal_policy(
                PolicySourceArn=role(call["principal"]), ActionNames=[call["action"]],
                ResourceArns=[resource(call["resource"])], ContextEntries=entries)
            decision = answer["EvaluationResults"][0]["EvalDecision"]
            if (decision == "allowed") != call["allowed"]:
                failed += 1
                self.add("FAIL", "iam", f"{call['principal']} {call['action']}: AWS says {decision}, "
                                        f"expected {'allowed' if call['allowed'] else 'denied'} ({call['what']})",
                         "a permissions boundary, SCP or edited policy differs from the stack: cdk diff, or ask your AWS admin")
        if not failed:
            self.add("PASS", "iam", f"{len(calls)} pipeline calls get the decisions the platform needs (IAM policy simulator)")

    # ---- Airflow up and its scheduler beating -----------------------------------------------------
    def instance(self):
        if self.instance_state is None:
            instance_id = self.physical_id("scheduler", "AWS::EC2::Instance", "Instance")
            reservations = self.aws["ec2"].describe_instances(InstanceIds=[instance_id])["Reservations"]
            self.instance_state = (instance_id, reservations[0]["Instances"][0]["State"]["Name"])
        return self.instance_state

    def airflow(self):
        if "scheduler" not in self.stack_ids:
            self.add("SKIP", "airflow", "the scheduler stack is not deployed")
            return
        instance_id, state = self.instance()
        if state != "running":
            if self.p.off_hours and state in ("stopped", "stopping"):
                self.add("SKIP", "airflow", f"{instance_id} is {state} (off-hours schedule)",
                         f"aws ec2 start-instances --instance-ids {instance_id} to check it now")
            else:
                self.add("FAIL", "airflow", f"{instance_id} is {state}",
                         f"aws ec2 start-instances --instance-ids {instance_id}; see README, Troubleshooting")
            return
        heartbeat = self.p.alarms().get(f"{self.p.project}-{self.p.env}-airflow-scheduler-heartbeat")
        if heartbeat is None:
            self.add("SKIP", "airflow", "no heartbeat alarm in the local monitoring template (synth first)")
            return
        query = heartbeat["Metrics"][0]["Expression"]
        data = self.aws["cloudwatch"].get_metric_data(
            MetricDataQueries=[{"Id": "heartbeat", "Expression": query, "Period": 60}],
            StartTime=self.now - datetime.timedelta(minutes=15), EndTime=self.now)
        values = [v for r in data["MetricDataResults"] for v in r.get("Values", [])]
        if any(v >= 1 for v in values):
            self.add("PASS", "airflow", f"{instance_id} running, scheduler heartbeats in the last 15 minutes")
        else:
            self.add("FAIL", "airflow", f"{instance_id} running but no scheduler heartbeat in 15 minutes",
                     "Session Manager to the instance: journalctl -u airflow@scheduler; the ServiceLogs log group")

    def pipeline_files(self):
        if "datalake" not in self.stack_ids:
            self.add("SKIP", "pipeline", "the datalake stack is not deployed")
            return
        for bucket_kind, key, what in SAMPLE_FILES:
            bucket = self.output("datalake", bucket_kind.capitalize() + "BucketName")
            try:
                self.aws["s3"].head_object(Bucket=bucket, Key=key)
                self.add("PASS", "pipeline", f"{what} is at s3://{bucket}/{key}")
            except ClientError as e:
                if error_code(e) not in ("404", "NoSuchKey", "NotFound"):
                    raise
                self.add("FAIL", "pipeline", f"{what} is missing: s3://{bucket}/{key}",
                         f"npx cdk deploy {self.p.stack('emr')} -c env={self.p.env} (it copies the sample files)")

    # ---- alarms: deployed, none in ALARM, host metrics reporting ----------------------------------
    def alarms(self):
        expected = self.p.alarms()
        if not expected:
            self.add("SKIP", "alarms", "no local monitoring template (synth first)")
            return
        prefix = f"{self.p.project}-{self.p.env}-"
        found = {}
        pages = self.aws["cloudwatch"].describe_alarms(AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm", "CompositeAlarm"])
        for alarm in pages.get("MetricAlarms", []) + pages.get("CompositeAlarms", []):
            found[alarm["AlarmName"]] = alarm
        running = False
        instance_id = None
        if "scheduler" in self.stack_ids:
            instance_id, state = self.instance()
            running = state == "running"
        problems = 0
        # The monitoring stack reads the instance id when it is deployed: after a replacement deployed
        # without it, its host alarms still watch the old instance.
        stale = sorted({d["Value"] for a in pages.get("MetricAlarms", []) for d in a.get("Dimensions", [])
                        if d.get("Name") == "InstanceId" and instance_id and d.get("Value") != instance_id})
        if stale:
            problems += 1
            self.add("FAIL", "alarms", f"host alarms watch {', '.join(stale)}, not the Airflow instance {instance_id}",
                     f"npx cdk deploy {self.p.stack('monitoring')} -c env={self.p.env} (or --all)")
        for name in sorted(expected):
            alarm = found.get(name)
            if alarm is None:
                problems += 1
                self.add("FAIL", "alarms", f"{name} is not deployed", f"npx cdk deploy {self.p.stack('monitoring')} -c env={self.p.env}")
            elif alarm["StateValue"] == "ALARM":
                problems += 1
                self.add("FAIL", "alarms", f"{name} is in ALARM: {alarm.get('StateReason', '')}", alarm.get("AlarmDescription", ""))
            elif alarm["StateValue"] == "INSUFFICIENT_DATA" and running and name[len(prefix):] in HOST_ALARMS:
                problems += 1
                self.add("WARN", "alarms", f"{name} has no data although the instance runs",
                         "is the CloudWatch agent running? systemctl status amazon-cloudwatch-agent")
        if not problems:
            self.add("PASS", "alarms", f"{len(expected)} alarms deployed, none in ALARM"
                     + (", host metrics reporting" if running else ""))

    # ---- the account setting the EMR alarms' tag filter needs ----------------------------------------
    def telemetry(self):
        by_tag = self.p.emr_alarms_by_tag()
        if by_tag is None:
            self.add("SKIP", "telemetry", "no local monitoring template (synth first)")
            return
        if not by_tag:
            self.add("SKIP", "telemetry", "the EMR alarms watch every cluster of the account (monitoring.emrAlarmScope: account)")
            return
        region = self.aws["observabilityadmin"].meta.region_name
        enable = (f"aws observabilityadmin start-telemetry-enrichment --region {region} (once per account and region; "
                  "or CloudWatch console, Settings, resource tags for telemetry); or set monitoring.emrAlarmScope: account")
        blind = "the EMR alarms select this platform's clusters by their tags and see none of them"
        try:
            status = self.aws["observabilityadmin"].get_telemetry_enrichment_status().get("Status", "unknown")
        except ClientError as e:
            code = error_code(e)
            if code == "ResourceNotFoundException":
                self.add("FAIL", "telemetry", f"resource tags for telemetry was never turned on: {blind}", enable)
            elif code in ("AccessDeniedException", "AccessDenied"):
                self.add("WARN", "telemetry", "cannot read whether resource tags for telemetry is on "
                         "(observabilityadmin:GetTelemetryEnrichmentStatus, in CloudWatchReadOnlyAccess)",
                         "check CloudWatch console, Settings: without it " + blind)
            else:
                raise
            return
        if status == "Running":
            self.add("PASS", "telemetry", "resource tags for telemetry is Running: the EMR alarms see this platform's clusters")
        else:
            self.add("FAIL", "telemetry", f"resource tags for telemetry is {status}: {blind}", enable)

    # ---- the data volume's snapshots ---------------------------------------------------------------
    def backups(self):
        if not self.p.local_database:
            self.add("SKIP", "backups", "database: rds (RDS keeps its own automated backups)")
            return
        tag = f"{self.p.project}-{self.p.env}-airflow-data"
        snapshots = self.aws["ec2"].describe_snapshots(
            OwnerIds=["self"], Filters=[{"Name": f"tag:{BACKUP_TAG}", "Values": [tag]}])["Snapshots"]
        done = [s for s in snapshots if s.get("State") == "completed"]
        if not done:
            self.add("FAIL", "backups", f"no completed snapshot tagged {BACKUP_TAG}={tag}",
                     "Data Lifecycle Manager takes the first one at 03:00 UTC after the deploy; if older, "
                     "see the airflow-backup-failed alarm and the policy in the EC2 console (Lifecycle Manager)")
            return
        newest = max(s["StartTime"] for s in done)
        age = self.now - newest
        if age > datetime.timedelta(hours=26):
            self.add("FAIL", "backups", f"newest snapshot is {age.days} day(s) old ({newest:%Y-%m-%d %H:%M} UTC)",
                     "see the airflow-backup-failed alarm and the policy in the EC2 console (Lifecycle Manager)")
        else:
            self.add("PASS", "backups", f"{len(done)} snapshots, newest {newest:%Y-%m-%d %H:%M} UTC")


def create_clients(session, region, **credentials):
    """One botocore client per service the check asks; the bundled model for services botocore predates."""
    loader = session.get_component("data_loader")
    if str(MODELS) not in loader.search_paths:
        loader.search_paths.append(str(MODELS))  # after botocore's own data: its models win when present
    return {name: session.create_client(name, region_name=region, **credentials) for name in SERVICES}


def main(argv):
    import argparse

    import botocore.session

    parser = argparse.ArgumentParser(prog="bin/platform-check", description="Does the deployed platform really work?")
    parser.add_argument("env")
    parser.add_argument("--templates", required=True, help="directory of the local synth (bin/platform-check makes one)")
    parser.add_argument("--profile")
    parser.add_argument("--region")
    args = parser.parse_args(argv)
    session = botocore.session.Session(profile=args.profile)
    region = args.region or session.get_config_variable("region")
    if not region:
        raise SystemExit("no AWS region: pass --region or set AWS_REGION / a profile region")
    clients = create_clients(session, region)
    results = Checker(Platform(args.env, args.templates), clients).run()
    for result in results:
        print(result.line())
    counts = {s: sum(1 for r in results if r.status == s) for s in ("PASS", "WARN", "FAIL", "SKIP")}
    print("platform-check " + args.env + ": " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return 1 if counts["FAIL"] else 0

"""bin/platform-check against recorded AWS answers, replayed by botocore's own Stubber.

Stubber checks every request the checker sends and every recorded response against botocore's
service models, so a response shape AWS would not send, or a parameter AWS would reject, fails
here. Healthy platform first, then each failure answer the checker must turn into a FAIL line
with a fix (never a crash). Run: /usr/bin/python3 test/check/test_platform_check.py
(PlatformCheckTest runs it in `mvn test`; Debian: python3-botocore).
"""
import copy
import datetime
import json
import pathlib
import sys
import unittest

import botocore.session
from botocore.stub import Stubber

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bin"))
import platform_check  # noqa: E402

NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.timezone.utc)
ACCOUNT, REGION = "111122223333", "eu-west-1"
CALLS = json.loads(platform_check.CALLS.read_text())["calls"]
HEARTBEAT_QUERY = 'SELECT SUM("airflow.scheduler_heartbeat") FROM "DataPlatform/dataplat-dev/Airflow"'
# The dev synth's own idle alarm query (its snapshot): the check must recognise the tag filter in it.
DEV_MONITORING = json.loads((ROOT / "test/resources/snapshots/dev/monitoring.json").read_text())
IDLE_METRICS = next(r["Properties"]["Metrics"] for r in DEV_MONITORING["Resources"].values()
                    if r["Properties"].get("AlarmName") == "dataplat-dev-emr-cluster-idle")


def template(kind):
    resources = {f"{kind.capitalize()}Marker": {"Type": "AWS::CloudFormation::WaitConditionHandle"}}
    if kind == "monitoring":
        for name in ("airflow-cpu", "airflow-scheduler-heartbeat", "emr-cluster-idle"):
            props = {"AlarmName": f"dataplat-dev-{name}"}
            if name == "airflow-scheduler-heartbeat":
                props["Metrics"] = [{"Id": "q", "Expression": HEARTBEAT_QUERY, "Period": 60, "ReturnData": True}]
            if name == "emr-cluster-idle":
                props["Metrics"] = copy.deepcopy(IDLE_METRICS)
            resources[name.replace("-", "")] = {"Type": "AWS::CloudWatch::Alarm", "Properties": props}
    return {"Resources": resources}


def platform():
    p = platform_check.Platform.__new__(platform_check.Platform)
    p.env, p.project, p.off_hours, p.local_database = "dev", "dataplat", True, True
    p.templates = {kind: template(kind) for kind in platform_check.STACKS}
    return p


class Aws:
    """One stubbed botocore client per service, with the answers of a healthy dev platform."""

    def __init__(self):
        self.clients = platform_check.create_clients(botocore.session.get_session(), REGION,
                                                     aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
        self.stubs = {name: Stubber(client) for name, client in self.clients.items()}
        self.templates = {kind: template(kind) for kind in platform_check.STACKS}
        self.missing = set()
        self.decisions = {}
        self.heartbeats = [1.0, 1.0, 2.0]
        self.missing_objects = set()
        self.alarm_states = {}
        self.snapshots = [{"SnapshotId": "snap-0123456789abcdef0", "State": "completed", "StartTime": NOW - datetime.timedelta(hours=9)}]
        self.alarms_error = None
        self.alarms_raises = None  # an exception DescribeAlarms raises instead of answering
        self.watched_instance = "i-0123456789abcdef0"
        self.instance_state = "running"
        self.enrichment = "Running"
        self.platform = platform()

    def stack(self, kind):
        return {"StackName": f"dataplat-dev-{kind}", "StackStatus": "UPDATE_COMPLETE",
                "StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/dataplat-dev-{kind}/0f0e0d0c",
                "CreationTime": NOW - datetime.timedelta(days=3),
                "Outputs": [{"OutputKey": f"{b}BucketName", "OutputValue": f"dataplat-dev-{b.lower()}"}
                            for b in ("Raw", "Curated", "Artifacts", "Logs")] if kind == "datalake" else []}

    def record(self):
        cfn = self.stubs["cloudformation"]
        for kind in platform_check.STACKS:
            name = f"dataplat-dev-{kind}"
            if kind in self.missing:
                cfn.add_client_error("describe_stacks", service_error_code="ValidationError",
                                     service_message=f"Stack with id {name} does not exist", expected_params={"StackName": name})
                continue
            cfn.add_response("describe_stacks", {"Stacks": [self.stack(kind)]}, {"StackName": name})
            cfn.add_response("get_template", {"TemplateBody": json.dumps(self.templates[kind])},
                             {"StackName": name, "TemplateStage": "Original"})
        if not {"scheduler", "emr", "datalake"} & self.missing:
            cfn.add_response("describe_stack_resources", {"StackResources": [
                self.resource("InstanceRoleA57500A0", "AWS::IAM::Role", "dataplat-dev-scheduler-InstanceRole-ABC"),
                self.resource("SecretsKeys52995371", "AWS::SecretsManager::Secret",
                              f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:SecretsKeys-AbCdEf"),
                self.resource("InstanceC1063A87b40cc0a6a3c30d87", "AWS::EC2::Instance", "i-0123456789abcdef0"),
            ]}, {"StackName": "dataplat-dev-scheduler"})
            cfn.add_response("describe_stack_resources", {"StackResources": [
                self.resource("RolesServiceRoleE105F0D1", "AWS::IAM::Role", "dataplat-dev-emr-RolesServiceRole-ABC"),
                self.resource("RolesEc2Role1D86A81B", "AWS::IAM::Role", "dataplat-dev-emr-nodes-eu-west-1"),
            ]}, {"StackName": "dataplat-dev-emr"})
            cfn.add_response("describe_stacks", {"Stacks": [self.stack("datalake")]}, {"StackName": "dataplat-dev-datalake"})
            for call in CALLS:
                decision = self.decisions.get(call["action"], "allowed" if call["allowed"] else "implicitDeny")
                self.stubs["iam"].add_response("simulate_principal_policy", {"EvaluationResults": [
                    {"EvalActionName": call["action"], "EvalDecision": decision}]})
        if "scheduler" not in self.missing:
            self.stubs["ec2"].add_response("describe_instances", {"Reservations": [{"Instances": [
                {"InstanceId": "i-0123456789abcdef0", "State": {"Code": 16, "Name": self.instance_state}}]}]},
                {"InstanceIds": ["i-0123456789abcdef0"]})
            if self.instance_state == "running":
                self.stubs["cloudwatch"].add_response("get_metric_data", {"MetricDataResults": [
                    {"Id": "heartbeat", "Label": "heartbeat", "Values": self.heartbeats, "StatusCode": "Complete"}]})
        if "datalake" not in self.missing:
            for bucket, key, _ in platform_check.SAMPLE_FILES:
                params = {"Bucket": f"dataplat-dev-{bucket}", "Key": key}
                if key in self.missing_objects:
                    self.stubs["s3"].add_client_error("head_object", service_error_code="404", http_status_code=404,
                                                      expected_params=params)
                else:
                    self.stubs["s3"].add_response("head_object", {"ContentLength": 442}, params)
        if self.alarms_raises:
            def unparseable(*_, **__):
                raise self.alarms_raises
            self.clients["cloudwatch"].describe_alarms = unparseable  # as the client raises it after the HTTP answer
        elif self.alarms_error:
            self.stubs["cloudwatch"].add_client_error("describe_alarms", service_error_code=self.alarms_error, http_status_code=403)
        else:
            self.stubs["cloudwatch"].add_response("describe_alarms", {"MetricAlarms": [
                {"AlarmName": f"dataplat-dev-{n}", "StateValue": self.alarm_states.get(n, "OK"),
                 "Dimensions": [{"Name": "InstanceId", "Value": self.watched_instance}] if n == "airflow-cpu" else [],
                 "StateReason": "Threshold Crossed: 3 datapoints were greater than the threshold (80.0)",
                 "AlarmDescription": "what to do"}
                for n in ("airflow-cpu", "airflow-scheduler-heartbeat", "emr-cluster-idle")], "CompositeAlarms": []},
                {"AlarmNamePrefix": "dataplat-dev-", "AlarmTypes": ["MetricAlarm", "CompositeAlarm"]})
        if self.enrichment in ("ResourceNotFoundException", "AccessDeniedException"):
            self.stubs["observabilityadmin"].add_client_error("get_telemetry_enrichment_status", service_error_code=self.enrichment,
                                                              http_status_code=404 if self.enrichment.startswith("Resource") else 400)
        elif self.enrichment:
            self.stubs["observabilityadmin"].add_response("get_telemetry_enrichment_status", {"Status": self.enrichment, **(
                {"AwsResourceExplorerManagedViewArn": f"arn:aws:resource-explorer-2:{REGION}:{ACCOUNT}:managed-view/"
                                                      "AWSManagedViewForCloudWatchTelemetry/0123abcd"} if self.enrichment == "Running" else {})}, {})
        self.stubs["ec2"].add_response("describe_snapshots", {"Snapshots": self.snapshots},
                                       {"OwnerIds": ["self"], "Filters": [{"Name": "tag:DataPlatformBackup",
                                                                           "Values": ["dataplat-dev-airflow-data"]}]})

    @staticmethod
    def resource(logical, rtype, physical):
        return {"LogicalResourceId": logical, "ResourceType": rtype, "PhysicalResourceId": physical,
                "Timestamp": NOW, "ResourceStatus": "UPDATE_COMPLETE"}

    def run(self):
        self.record()
        for stub in self.stubs.values():
            stub.activate()
        results = platform_check.Checker(self.platform, self.clients, now=NOW).run()
        for stub in self.stubs.values():
            stub.assert_no_pending_responses()
        return results


def lines(results, status):
    return [f"{r.check}: {r.message} | {r.fix}" for r in results if r.status == status]


class PlatformCheckTest(unittest.TestCase):
    def test_a_healthy_platform_passes_every_check(self):
        results = Aws().run()
        self.assertEqual(lines(results, "FAIL") + lines(results, "WARN"), [])
        checks = {r.check for r in results if r.status == "PASS"}
        self.assertEqual(checks, {"stacks", "iam", "airflow", "pipeline", "alarms", "telemetry", "backups"})
        self.assertIn(f"{len(CALLS)} pipeline calls", " ".join(lines(results, "PASS")))

    def test_a_stack_not_deployed(self):
        aws = Aws()
        aws.missing = {"monitoring"}
        fails = lines(aws.run(), "FAIL")
        self.assertTrue(any("dataplat-dev-monitoring is not deployed" in f and "cdk deploy --all -c env=dev" in f for f in fails), fails)

    def test_a_stack_deployed_from_other_code(self):
        aws = Aws()
        aws.templates["emr"] = copy.deepcopy(aws.templates["emr"])
        aws.templates["emr"]["Resources"]["Extra"] = {"Type": "AWS::CloudFormation::WaitConditionHandle"}
        fails = lines(aws.run(), "FAIL")
        self.assertTrue(any("dataplat-dev-emr differs from this checkout" in f and "cdk diff" in f for f in fails), fails)

    def test_an_iam_decision_aws_makes_differently(self):
        aws = Aws()
        aws.decisions = {"elasticmapreduce:RunJobFlow": "explicitDeny"}
        fails = lines(aws.run(), "FAIL")
        self.assertTrue(any("elasticmapreduce:RunJobFlow: AWS says explicitDeny, expected allowed" in f
                            and "permissions boundary, SCP" in f for f in fails), fails)

    def test_the_simulated_emr_calls_carry_this_environments_tags(self):
        aws = Aws()
        asked = []
        aws.clients["iam"].meta.events.register("provide-client-params.iam.SimulatePrincipalPolicy",
                                                lambda params, **_: asked.append(copy.deepcopy(params)))
        aws.run()
        emr = {a["ActionNames"][0]: {e["ContextKeyName"]: e["ContextKeyValues"] for e in a["ContextEntries"]}
               for a in asked if a["ActionNames"][0].startswith("elasticmapreduce:")}
        self.assertEqual(["dataplat"], emr["elasticmapreduce:RunJobFlow"]["aws:RequestTag/Project"])
        self.assertEqual(["dev"], emr["elasticmapreduce:RunJobFlow"]["aws:RequestTag/Environment"])
        self.assertEqual(["dev"], emr["elasticmapreduce:AddJobFlowSteps"]["aws:ResourceTag/Environment"])
        self.assertNotIn("${", json.dumps(asked))

    def test_no_scheduler_heartbeat(self):
        aws = Aws()
        aws.heartbeats = []
        fails = lines(aws.run(), "FAIL")
        self.assertTrue(any("no scheduler heartbeat" in f and "journalctl -u airflow@scheduler" in f for f in fails), fails)

    def test_the_instance_stopped_for_the_off_hours_is_not_a_failure(self):
        aws = Aws()
        aws.instance_state = "stopped"
        results = aws.run()
        self.assertTrue(any("off-hours" in s for s in lines(results, "SKIP")), lines(results, "SKIP"))
        self.assertEqual(lines(results, "FAIL"), [])

    def test_the_sample_dag_missing(self):
        aws = Aws()
        aws.missing_objects = {"dags/pipeline_emr.py"}
        fails = lines(aws.run(), "FAIL")
        self.assertTrue(any("the sample DAG is missing" in f and "dataplat-dev-emr" in f for f in fails), fails)

    def test_an_alarm_in_alarm(self):
        aws = Aws()
        aws.alarm_states = {"airflow-cpu": "ALARM"}
        fails = lines(aws.run(), "FAIL")
        self.assertTrue(any("dataplat-dev-airflow-cpu is in ALARM: Threshold Crossed" in f for f in fails), fails)

    def test_a_host_alarm_without_data_while_the_host_runs(self):
        aws = Aws()
        aws.alarm_states = {"airflow-scheduler-heartbeat": "INSUFFICIENT_DATA"}
        warns = lines(aws.run(), "WARN")
        self.assertTrue(any("has no data although the instance runs" in w for w in warns), warns)

    def test_host_alarms_left_on_a_replaced_instance(self):
        aws = Aws()
        aws.watched_instance = "i-0ffffffffffffffff"
        fails = lines(aws.run(), "FAIL")
        self.assertTrue(any("host alarms watch i-0ffffffffffffffff, not the Airflow instance i-0123456789abcdef0" in f
                            and "dataplat-dev-monitoring" in f for f in fails), fails)

    def test_resource_tags_for_telemetry_off_blinds_the_emr_alarms(self):
        for answer in ("Stopped", "Impaired", "ResourceNotFoundException"):
            with self.subTest(answer):
                aws = Aws()
                aws.enrichment = answer
                fails = lines(aws.run(), "FAIL")
                self.assertTrue(any(f.startswith("telemetry: resource tags for telemetry") and "see none of them" in f
                                    and f"start-telemetry-enrichment --region {REGION}" in f
                                    and "monitoring.emrAlarmScope: account" in f for f in fails), fails)

    def test_resource_tags_for_telemetry_unreadable_is_a_warning(self):
        aws = Aws()
        aws.enrichment = "AccessDeniedException"
        results = aws.run()
        self.assertEqual(lines(results, "FAIL"), [])
        self.assertTrue(any("observabilityadmin:GetTelemetryEnrichmentStatus" in w for w in lines(results, "WARN")))

    def test_emr_alarms_over_the_whole_account_need_no_account_setting(self):
        aws = Aws()
        aws.enrichment = None  # not asked: the stub fails the test on any unexpected call
        untagged = copy.deepcopy(IDLE_METRICS)
        untagged[0]["Expression"] = untagged[0]["Expression"].split(" WHERE ")[0] + " GROUP BY JobFlowId ORDER BY MAX() DESC"
        aws.platform.templates["monitoring"]["Resources"]["emrclusteridle"]["Properties"]["Metrics"] = untagged
        aws.templates["monitoring"] = aws.platform.templates["monitoring"]  # deployed from this checkout
        results = aws.run()
        self.assertEqual(lines(results, "FAIL"), [])
        self.assertTrue(any("emrAlarmScope: account" in s for s in lines(results, "SKIP")), lines(results, "SKIP"))

    def test_no_recent_snapshot(self):
        aws = Aws()
        aws.snapshots = [{"SnapshotId": "snap-0123456789abcdef0", "State": "completed", "StartTime": NOW - datetime.timedelta(days=3)}]
        fails = lines(aws.run(), "FAIL")
        self.assertTrue(any("newest snapshot is 3 day(s) old" in f for f in fails), fails)

    def test_access_denied_is_reported_not_a_crash(self):
        aws = Aws()
        aws.alarms_error = "AccessDenied"
        fails = lines(aws.run(), "FAIL")
        self.assertTrue(any(f.startswith("alarms: AWS refused or failed: AccessDenied") for f in fails), fails)

    def test_an_unparseable_answer_fails_one_check_and_the_others_run(self):
        # An HTML 500 page where botocore expects XML raises ResponseParserError, which is no BotoCoreError
        # subclass callers catch by habit: it must become that check's FAIL line, not a traceback.
        from botocore.parsers import ResponseParserError
        aws = Aws()
        aws.alarms_raises = ResponseParserError("Unable to parse response (syntax error), invalid XML received")
        results = aws.run()
        fails = lines(results, "FAIL")
        self.assertTrue(any(f.startswith("alarms: unexpected answer: ResponseParserError") for f in fails), fails)
        self.assertTrue(any(r.check == "backups" for r in results), [r.check for r in results])


if __name__ == "__main__":
    unittest.main(verbosity=2)

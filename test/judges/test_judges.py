"""Each deployability judge can fail: known-bad templates are rejected, known-good ones pass.

    python3 test/judges/test_judges.py        (DeployabilityTest runs it in `mvn -B test`)
"""
import json
import pathlib
import sys
import unittest
from unittest import mock

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import python_env  # noqa: E402

python_env.require("cfn-lint", "botocore")

import cfn_lint_judge  # noqa: E402
import deployability  # noqa: E402
import service_models  # noqa: E402


def template(**resources):
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


DASHBOARD = {"Type": "AWS::CloudWatch::Dashboard", "Properties": {
    "DashboardName": "dataplat-dev", "DashboardBody": json.dumps({"widgets": []})}}
TAGGED_DASHBOARD = {"Type": "AWS::CloudWatch::Dashboard", "Properties": {
    **DASHBOARD["Properties"], "Tags": [{"Key": "Project", "Value": "dataplat"}]}}


def dlm_policy(description):
    return {"Type": "AWS::DLM::LifecyclePolicy", "Properties": {
        "Description": description, "State": "ENABLED",
        "ExecutionRoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
        "PolicyDetails": {"PolicyType": "EBS_SNAPSHOT_MANAGEMENT", "ResourceTypes": ["VOLUME"],
                          "TargetTags": [{"Key": "Name", "Value": "data"}],
                          "Schedules": [{"Name": "daily", "CreateRule": {"Interval": 24, "IntervalUnit": "HOURS"},
                                         "RetainRule": {"Count": 7}}]}}}


def security_group(description):
    return {"Type": "AWS::EC2::SecurityGroup", "Properties": {
        "GroupDescription": description, "VpcId": {"Ref": "Vpc"}}}


def lint(resources, *regions):
    return cfn_lint_judge.unaccepted(cfn_lint_judge.judge("t", json.dumps(template(**resources)), list(regions)))


def models(resources, table=None):
    return service_models.judge("t", template(**resources), "dataplat-dev-x", "us-east-1", table)


class CfnLintJudgeTest(unittest.TestCase):

    def test_a_property_one_region_does_not_accept_fails_there_only(self):
        findings = lint({"Dashboard": TAGGED_DASHBOARD}, "us-east-1", "eu-west-1")
        self.assertEqual([("us-east-1", "E3002", "Dashboard")], [(f.region, f.rule, f.logical_id) for f in findings])
        self.assertIn("Tags", findings[0].message)

    def test_the_same_resource_without_the_property_passes_in_every_region(self):
        self.assertEqual([], lint({"Dashboard": DASHBOARD}, *deployability.DEFAULT_REGIONS))

    def test_an_accepted_rule_covers_only_the_resources_it_names(self):
        instance = {"Type": "AWS::EC2::Instance", "Properties": {
            "ImageId": "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
            "InstanceType": "t4g.small"}}
        accepted = lint({"InstanceC1063A87abcdef": instance}, "eu-west-1")
        other = lint({"OtherInstance": instance}, "eu-west-1")
        self.assertEqual([], accepted)
        self.assertEqual(["E1152"], [f.rule for f in other])

    def test_every_accepted_entry_gives_its_reason_and_one_rule(self):
        for entry in cfn_lint_judge.ACCEPTED:
            self.assertRegex(entry.rule, r"^[EW]\d{4}$")
            self.assertGreater(len(entry.reason), 40, entry)
            self.assertNotIn(entry.logical_id, (".*", ".+"), entry)


class ServiceModelJudgeTest(unittest.TestCase):

    def test_a_description_with_a_character_the_api_rejects_fails(self):
        judgement = models({"Backup": dlm_policy("Daily snapshots (dataplat-dev-airflow-data)")})
        self.assertEqual(1, len(judgement.problems), judgement.problems)
        self.assertIn("CreateLifecyclePolicy.Description", judgement.problems[0])
        self.assertIn("Backup (AWS::DLM::LifecyclePolicy) -> dlm", judgement.problems[0])

    def test_the_same_description_in_allowed_characters_passes(self):
        judgement = models({"Backup": dlm_policy("Daily snapshots of dataplat-dev-airflow-data")})
        self.assertEqual([], judgement.problems)
        self.assertEqual((1, 1), (judgement.resources, judgement.calls))
        self.assertGreater(judgement.tally.judged, 5)
        self.assertGreaterEqual(judgement.tally.skipped, 1)  # ExecutionRoleArn: Fn::GetAtt, computed

    def test_a_constraint_documented_in_the_model_text_is_applied(self):
        # EC2 documents GroupDescription's character set in prose, not as a pattern.
        self.assertNotEqual([], models({"Sg": security_group("Airflow host \u2013 web UI")}).problems)
        self.assertEqual([], models({"Sg": security_group("Airflow host, web UI (port 8080)")}).problems)

    def test_a_value_out_of_range_or_enum_fails(self):
        alarm = {"Type": "AWS::CloudWatch::Alarm", "Properties": {
            "ComparisonOperator": "GreaterThan", "EvaluationPeriods": 0, "Threshold": 1,
            "MetricName": "CPUUtilization", "Namespace": "AWS/EC2", "Period": 300, "Statistic": "Average"}}
        problems = " ".join(models({"Alarm": alarm}).problems)
        self.assertIn("ComparisonOperator", problems)
        self.assertIn("EvaluationPeriods", problems)

    def test_a_resource_type_without_a_row_is_reported_not_passed(self):
        judgement = models({"Queue": {"Type": "AWS::SQS::Queue", "Properties": {}}}, table={})
        self.assertEqual({"AWS::SQS::Queue"}, judgement.unjudged_types)
        self.assertEqual(0, judgement.resources)

    def test_every_row_either_names_calls_or_says_why_there_is_nothing_to_judge(self):
        for kind, row in service_models.TABLE.items():
            self.assertTrue(bool(row.calls) != bool(row.nothing_to_judge), kind)
            for call in row.calls:
                service_models.model(call.service).operation_model(call.operation)  # raises when unknown


class PinnedJudgesTest(unittest.TestCase):

    def test_the_installed_judges_are_the_pinned_ones(self):
        self.assertEqual([], python_env.problems("cfn-lint", "botocore"))

    def test_another_version_is_reported_with_both_versions(self):
        with mock.patch.object(python_env, "pins", return_value={"botocore": "0.0.1"}):
            found = python_env.problems("botocore")
        self.assertEqual(1, len(found))
        self.assertIn("tests pin 0.0.1", found[0])

    def test_a_missing_judge_stops_with_the_install_command(self):
        with mock.patch.object(python_env, "pins", return_value={"no-such-judge": "1.0"}), \
                mock.patch("sys.stderr") as stderr, self.assertRaises(SystemExit) as stopped:
            python_env.require("no-such-judge")
        self.assertEqual(3, stopped.exception.code)
        written = "".join(call.args[0] for call in stderr.write.call_args_list)
        self.assertIn("no-such-judge 1.0 is not installed", written)
        self.assertIn("pip install -r test/judges/requirements.txt", written)


if __name__ == "__main__":
    unittest.main(verbosity=2)

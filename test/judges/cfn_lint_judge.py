"""cfn-lint, AWS's CloudFormation linter, over synthesized templates, per region.

cfn-lint carries CloudFormation's resource schemas per region (a property one region does not accept,
a resource type a region does not have) and rules beyond the schema. Every error fails; every warning
must be fixed or listed in ACCEPTED with its reason; ACCEPTED entries name one rule and the resources it
is accepted for (by logical id), never a whole template or rule.
"""
import dataclasses
import re

from cfnlint.api import ManualArgs, lint


@dataclasses.dataclass(frozen=True)
class Accepted:
    rule: str
    logical_id: str  # regular expression, matched in full against the logical id
    reason: str
    message: str = ".*"  # regular expression, matched in full against the finding's message

    def covers(self, finding):
        return finding.rule == self.rule and finding.logical_id is not None \
            and re.fullmatch(self.logical_id, finding.logical_id) is not None \
            and re.fullmatch(self.message, finding.message, re.DOTALL) is not None


# Each entry: one rule, the resources it is wrong for, and why.
_LAMBDAS_OF_AWS_CDK_LIB = "|".join((
    "CustomS3AutoDeleteObjectsCustomResourceProviderHandler9D90184F",  # datalake, query: bucket auto-delete (destroy)
    "CustomVpcRestrictDefaultSGCustomResourceProviderHandlerDC833E5E",  # network: default security group restriction
    "CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C81C01536",  # emr: BucketDeployment of the sample pipeline
    "SecurityGroupsRevokeRulesOnDeleteCC4B317B",  # emr: our lambda.Function (EmrSecurityGroups)
    "ClusterGuardFunction6F1F96C1",  # monitoring: our lambda.Function (ClusterGuardFunction)
))
ACCEPTED = (
    Accepted("E1152", r"InstanceC1063A87[0-9a-f]*", "the Airflow instance's ImageId is `resolve:ssm:<public AMI "
             "parameter>`, which EC2 itself resolves at launch (RunInstances and launch templates accept it); cfn-lint only "
             "knows the `ami-` form", r"'resolve:ssm:/aws/service/.*"),
    Accepted("W3005", _LAMBDAS_OF_AWS_CDK_LIB,
             "aws-cdk-lib's lambda.Function (and its custom-resource providers) make a function DependsOn its own role "
             "besides the GetAtt of its Role property: redundant and harmless, and written by aws-cdk-lib, not by us",
             r"'[A-Za-z0-9]+' dependency already enforced by a 'GetAtt' at 'Resources/[A-Za-z0-9]+/Properties/Role'"),
)


@dataclasses.dataclass(frozen=True)
class Finding:
    template: str
    region: str
    rule: str
    level: str  # "error" or "warning" (informational findings are not reported)
    logical_id: str
    path: str
    message: str

    def __str__(self):
        where = self.path or "(template)"
        return f"{self.template} [{self.region}] {self.rule} at {where}: {self.message}"


def _findings(name, matches, region):
    found = []
    for match in matches:
        rule = match.rule.id
        if rule.startswith("I"):
            continue
        path = [str(p) for p in (match.path or [])]
        logical_id = path[1] if len(path) > 1 and path[0] == "Resources" else None
        found.append(Finding(name, region, rule, "error" if rule.startswith("E") else "warning", logical_id,
                             "/".join(path), match.message))
    return found


def judge(name, text, regions):
    """Findings of cfn-lint for one template in every given region.

    One run covers all regions (cfn-lint checks each region's schemas); a template with a finding that
    ACCEPTED does not cover is linted again region by region, so each such finding names its region.
    """
    matches = lint(text, config=ManualArgs(regions=list(regions)))
    together = _findings(name, matches, regions[0] if len(regions) == 1 else ",".join(regions))
    if len(regions) == 1 or not unaccepted(together):
        return together
    found = []
    for region in regions:
        found.extend(_findings(name, lint(text, config=ManualArgs(regions=[region])), region))
    return found


def unaccepted(findings):
    """The findings no ACCEPTED entry covers."""
    return [f for f in findings if not any(a.covers(f) for a in ACCEPTED)]

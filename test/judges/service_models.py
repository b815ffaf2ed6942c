"""botocore's service models as the judge of what each service's API accepts.

CloudFormation hands most resources' properties to one service call (or a few). Its resource schema,
which aws-cdk-lib and cfn-lint validate, often lacks the service's own rules (a description's allowed
characters, a name's pattern, a list's length), but the API applies them and the stack fails on create.
This maps the literal property values of every resource onto the request of the call(s) CloudFormation
makes and validates them against botocore's model: required members, unknown members, types, string
patterns (matched in full, as AWS's services apply them), lengths, enums and numeric ranges.

Values CloudFormation computes (Ref, Fn::GetAtt, Fn::ImportValue, ...) are skipped; pseudo parameters
(AWS::Region, AWS::AccountId, AWS::Partition, AWS::URLSuffix, AWS::StackName) are resolved with the
judged region, a sample account and the template's stack name. Names CloudFormation generates when a
template gives none are judged in CloudFormation's form, `<stack>-<logical id>-<random>` cut to the
member's maximum length (lower case where AWS requires it).

TABLE has one row per resource type: the calls and how properties become their requests, or why there
is nothing to judge beyond the schema. A resource type without a row fails (judge(), unjudged types).
"""
import dataclasses
import html
import json
import re
import sys
import unicodedata
from typing import Callable, Optional

import botocore.session

ACCOUNT = "123456789012"
_SESSION = botocore.session.get_session()
_MODELS = {}


def model(service):
    if service not in _MODELS:
        _MODELS[service] = _SESSION.get_service_model(service)
    return _MODELS[service]


# ---------------------------------------------------------------------------------------------------
# Values: intrinsics, pseudo parameters, generated names

class Unresolved:
    """A value CloudFormation computes at deploy time: not judged."""

    def __repr__(self):
        return "<unresolved>"


UNRESOLVED = Unresolved()


@dataclasses.dataclass
class Context:
    stack: str
    logical_id: str
    region: str

    def pseudo(self, name):
        return {"AWS::Region": self.region, "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws",
                "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": self.stack}.get(name, UNRESOLVED)

    def generated_name(self, max_length=None, lower=False):
        """A name as CloudFormation generates it: stack name, logical id and a random suffix."""
        name = f"{self.stack}-{self.logical_id}-AB12CD34EF56"
        if max_length and len(name) > max_length:
            keep = max_length - len("-AB12CD34EF56") - 1
            head = f"{self.stack}-{self.logical_id}"[:max(keep, 1)]
            name = f"{head}-AB12CD34EF56"[:max_length]
        return name.lower() if lower else name


def resolve(value, ctx):
    """The literal value, with pseudo parameters resolved; UNRESOLVED where CloudFormation computes it."""
    if isinstance(value, dict):
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref":
                return ctx.pseudo(arg)
            if key == "Fn::Join":
                parts = [resolve(p, ctx) for p in arg[1]] if isinstance(arg[1], list) else [UNRESOLVED]
                if any(not isinstance(p, str) for p in parts):
                    return UNRESOLVED
                return arg[0].join(parts)
            if key == "Fn::Sub" and isinstance(arg, str):
                out = re.sub(r"\$\{([^}!]+)\}", lambda m: ctx.pseudo(m.group(1)) if isinstance(
                    ctx.pseudo(m.group(1)), str) else "\0", arg)
                return UNRESOLVED if "\0" in out else out
            if key.startswith("Fn::") or key == "Condition":
                return UNRESOLVED
        return {k: resolve(v, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, ctx) for v in value]
    return value


def json_text(value):
    """A JSON document property (a policy, an event pattern) as the string the API receives."""
    if isinstance(value, str):
        return value
    if contains_unresolved(value):
        return UNRESOLVED
    return json.dumps(value, separators=(",", ":"))


def contains_unresolved(value):
    if value is UNRESOLVED:
        return True
    if isinstance(value, dict):
        return any(contains_unresolved(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unresolved(v) for v in value)
    return False


# ---------------------------------------------------------------------------------------------------
# Patterns: botocore's are Java regular expressions

_CATEGORY_RANGES = {}


def _category_class(letter):
    """The code points of a Unicode general category (L, N, P, Z, ...) as a character-class body."""
    if letter not in _CATEGORY_RANGES:
        ranges, start, previous = [], None, None
        for code in range(sys.maxunicode + 1):
            if 0xD800 <= code <= 0xDFFF:
                continue
            if unicodedata.category(chr(code)).startswith(letter):
                if start is None:
                    start = code
                previous = code
            elif start is not None:
                ranges.append((start, previous))
                start = None
        if start is not None:
            ranges.append((start, previous))
        _CATEGORY_RANGES[letter] = "".join(
            re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return _CATEGORY_RANGES[letter]


def python_pattern(java):
    """A Java pattern of a botocore model as a Python one (Unicode categories, supplementary ranges)."""
    text = java.replace(r"\uD800\uDC00-\uDBFF\uDFFF", r"\U00010000-\U0010FFFF")
    text = text.replace(r"\u10000-\u10FFFF", r"\U00010000-\U0010FFFF")
    text = re.sub(r"\\p\{all\}", r"\\s\\S", text)
    text = re.sub(r"\\p\{(L|N|P|Z|S|M|C)\}", lambda m: _category_class(m.group(1)), text)
    return text


_COMPILED = {}


def pattern_matches(java, value):
    if java not in _COMPILED:
        _COMPILED[java] = re.compile(python_pattern(java), re.DOTALL)
    return _COMPILED[java].fullmatch(value) is not None


# ---------------------------------------------------------------------------------------------------
# Constraints a model states only in its documentation (EC2's models have no patterns or lengths; their
# member documentation says "Up to 255 characters in length. Valid characters: a-z, A-Z, 0-9, spaces, and
# ._-:/()#,@[]+=&;{}!$*"). Read from the model's own text, so they follow the model.

_DOC_LENGTH = re.compile(r"[Uu]p to (\d+) characters in length")
_DOC_CHARACTERS = re.compile(r"(?:Valid|Allowed) characters(?: are|:) a-z, A-Z, 0-9, spaces, and (\S+?)(?:\.?\s|\.?$)")
_DOC_TAG_KEY = re.compile(r"Tag keys are case-sensitive and accept a maximum of (\d+) Unicode characters\. May not begin with "
                          r"(\S+?)\.?(?:\s|$)")
_DOC_TAG_VALUE = re.compile(r"Tag values are case-sensitive and accept a maximum of (\d+) Unicode characters")
_DOC_RULES = {}


def _documented_rules(documentation):
    if documentation not in _DOC_RULES:
        text = html.unescape(re.sub(r"<[^>]+>", " ", documentation or ""))
        text = re.sub(r"\s+", " ", text)
        rules = []
        if m := _DOC_LENGTH.search(text):
            limit = int(m.group(1))
            rules.append((lambda v, n=limit: len(v) <= n, f"is longer than the documented {limit} characters"))
        if m := _DOC_CHARACTERS.search(text):
            allowed = "a-zA-Z0-9 " + re.escape(m.group(1))
            rules.append((lambda v, c=re.compile(f"[{allowed}]*"): c.fullmatch(v) is not None,
                          f"has a character outside the documented a-z, A-Z, 0-9, spaces and {m.group(1)}"))
        if m := _DOC_TAG_KEY.search(text):
            limit, prefix = int(m.group(1)), m.group(2)
            rules.append((lambda v, n=limit, p=prefix: len(v) <= n and not v.startswith(p),
                          f"breaks the documented tag key rule (at most {limit} characters, not starting with {prefix})"))
        if m := _DOC_TAG_VALUE.search(text):
            limit = int(m.group(1))
            rules.append((lambda v, n=limit: len(v) <= n, f"is longer than the documented {limit} characters of a tag value"))
        _DOC_RULES[documentation] = rules
    return _DOC_RULES[documentation]


def documented_violations(shape, value):
    return [why for check, why in _documented_rules(shape.documentation) if not check(value)]


# ---------------------------------------------------------------------------------------------------
# Validation of one request against an operation's input shape

@dataclasses.dataclass
class Tally:
    judged: int = 0  # literal leaf values checked against the model
    skipped: int = 0  # values CloudFormation computes


def validate(shape, value, path, problems, tally, generated=()):
    """Append to problems every way value breaks shape; count judged and skipped leaves."""
    if value is UNRESOLVED:
        tally.skipped += 1
        return
    meta = shape.metadata
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: must be an object ({shape.name}), got {value!r}")
            return
        for required in shape.required_members:
            if required not in value and required not in generated:
                problems.append(f"{path}.{required}: required by {shape.name}, missing")
        for key, item in value.items():
            if key not in shape.members:
                problems.append(f"{path}.{key}: not a member of {shape.name} (members: {', '.join(shape.members)})")
                continue
            validate(shape.members[key], item, f"{path}.{key}", problems, tally)
        return
    if kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: must be a list, got {value!r}")
            return
        _length(meta, len(value), path, "items", problems)
        for i, item in enumerate(value):
            validate(shape.member, item, f"{path}[{i}]", problems, tally)
        return
    if kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: must be a map, got {value!r}")
            return
        _length(meta, len(value), path, "entries", problems)
        for key, item in value.items():
            validate(shape.key, key, f"{path} key {key!r}", problems, tally)
            validate(shape.value, item, f"{path}[{key!r}]", problems, tally)
        return
    tally.judged += 1
    if kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: must be a string, got {value!r}")
            return
        _length(meta, len(value), path, "characters", problems)
        if "enum" in meta and value not in meta["enum"]:
            problems.append(f"{path}: {value!r} is not one of {meta['enum']}")
        if "pattern" in meta and not pattern_matches(meta["pattern"], value):
            problems.append(f"{path}: {value!r} does not match the API's pattern {meta['pattern']}")
        if "pattern" not in meta and "max" not in meta:
            problems.extend(f"{path}: {value!r} {rule}" for rule in documented_violations(shape, value))
    elif kind in ("integer", "long"):
        number = _number(value, int)
        if number is None:
            problems.append(f"{path}: must be a whole number, got {value!r}")
            return
        _range(meta, number, path, problems)
    elif kind in ("double", "float"):
        number = _number(value, float)
        if number is None:
            problems.append(f"{path}: must be a number, got {value!r}")
            return
        _range(meta, number, path, problems)
    elif kind == "boolean":
        if not (isinstance(value, bool) or value in ("true", "false")):
            problems.append(f"{path}: must be true or false, got {value!r}")
    elif kind == "timestamp":
        if not isinstance(value, (str, int, float)):
            problems.append(f"{path}: must be a timestamp, got {value!r}")
    elif kind == "blob":
        if not isinstance(value, (str, bytes)):
            problems.append(f"{path}: must be bytes, got {value!r}")


def _number(value, kind):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value if kind is float or float(value).is_integer() else None
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            return None
    return None


def _length(meta, length, path, unit, problems):
    if "min" in meta and length < meta["min"]:
        problems.append(f"{path}: at least {meta['min']} {unit}, got {length}")
    if "max" in meta and length > meta["max"]:
        problems.append(f"{path}: at most {meta['max']} {unit}, got {length}")


def _range(meta, number, path, problems):
    if "min" in meta and number < meta["min"]:
        problems.append(f"{path}: at least {meta['min']}, got {number}")
    if "max" in meta and number > meta["max"]:
        problems.append(f"{path}: at most {meta['max']}, got {number}")


# ---------------------------------------------------------------------------------------------------
# The table: resource type -> the calls CloudFormation makes, and how properties become requests

@dataclasses.dataclass(frozen=True)
class Call:
    service: str
    operation: str
    # (properties, context) -> request, or a list of requests (one per role, per rule, ...), or None (not made)
    request: Callable
    generated: tuple = ()  # required members CloudFormation fills itself when the template names none


@dataclasses.dataclass(frozen=True)
class Row:
    calls: tuple = ()
    nothing_to_judge: Optional[str] = None  # a row without calls says why


def rest(props, *names):
    """The properties minus those named (they go to another call or member)."""
    return {k: v for k, v in props.items() if k not in names}


def present(props, **members):
    """A request from the members whose property is present."""
    return {k: v for k, v in members.items() if v is not None}


def tags_list(tags):
    return tags  # [{"Key", "Value"}], as CloudFormation takes them


def tags_map(tags):
    if tags is None or tags is UNRESOLVED:
        return tags
    return {t["Key"]: t["Value"] for t in tags}


def ec2_tags(resource_type, tags):
    return None if not tags else [{"ResourceType": resource_type, "Tags": tags}]


def lower_first(value):
    """CloudFormation's PascalCase members as an API's camelCase ones (CloudWatch Logs)."""
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: lower_first(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_first(v) for v in value]
    return value


def s3_lifecycle_rule(rule):
    request = present(rule, ID=rule.get("Id"), Status=rule.get("Status"),
                      AbortIncompleteMultipartUpload=rule.get("AbortIncompleteMultipartUpload"),
                      NoncurrentVersionExpiration=_noncurrent_expiration(rule.get("NoncurrentVersionExpiration")))
    request["Filter"] = {"Prefix": rule["Prefix"]} if "Prefix" in rule else {}
    expiration = present(rule, Days=rule.get("ExpirationInDays"),
                         ExpiredObjectDeleteMarker=rule.get("ExpiredObjectDeleteMarker"))
    if expiration:
        request["Expiration"] = expiration
    if "Transitions" in rule:
        request["Transitions"] = [present(t, Days=t.get("TransitionInDays"), StorageClass=t.get("StorageClass"))
                                  for t in rule["Transitions"]]
    if "NoncurrentVersionTransitions" in rule:
        request["NoncurrentVersionTransitions"] = [
            present(t, NoncurrentDays=t.get("TransitionInDays"), StorageClass=t.get("StorageClass"))
            for t in rule["NoncurrentVersionTransitions"]]
    leftover = set(rule) - {"Id", "Status", "Prefix", "AbortIncompleteMultipartUpload", "NoncurrentVersionExpiration",
                            "ExpirationInDays", "ExpiredObjectDeleteMarker", "Transitions", "NoncurrentVersionTransitions"}
    for key in leftover:  # unmapped: reported by validation as not a member
        request[key] = rule[key]
    return request


def _noncurrent_expiration(value):
    if not isinstance(value, dict):
        return value
    return present(value, NoncurrentDays=value.get("NoncurrentDays"),
                   NewerNoncurrentVersions=value.get("NewerNoncurrentVersions"))


def s3_encryption(value):
    rules = []
    for rule in value.get("ServerSideEncryptionConfiguration", []):
        out = present(rule, BucketKeyEnabled=rule.get("BucketKeyEnabled"))
        if "ServerSideEncryptionByDefault" in rule:
            default = rule["ServerSideEncryptionByDefault"]
            out["ApplyServerSideEncryptionByDefault"] = present(
                default, SSEAlgorithm=default.get("SSEAlgorithm"), KMSMasterKeyID=default.get("KMSMasterKeyID"))
        rules.append(out)
    return {"Rules": rules}


def instance_network_interface(nic):
    request = rest(nic, "GroupSet", "DeviceIndex")
    if "GroupSet" in nic:
        request["Groups"] = nic["GroupSet"]
    if "DeviceIndex" in nic:
        request["DeviceIndex"] = nic["DeviceIndex"]
    return request


def security_group_rule(rule, peer_key_in, peer_key_out):
    """An inline or standalone ingress/egress rule as one IpPermission."""
    permission = present(rule, IpProtocol=rule.get("IpProtocol"), FromPort=rule.get("FromPort"),
                         ToPort=rule.get("ToPort"))
    description = rule.get("Description")
    if "CidrIp" in rule:
        permission["IpRanges"] = [present(rule, CidrIp=rule["CidrIp"], Description=description)]
    if "CidrIpv6" in rule:
        permission["Ipv6Ranges"] = [present(rule, CidrIpv6=rule["CidrIpv6"], Description=description)]
    for key in (peer_key_in, peer_key_out):
        if key in rule:
            permission["UserIdGroupPairs"] = [present(rule, GroupId=rule[key], Description=description)]
    if "DestinationPrefixListId" in rule or "SourcePrefixListId" in rule:
        permission["PrefixListIds"] = [present(rule, PrefixListId=rule.get("DestinationPrefixListId",
                                                                           rule.get("SourcePrefixListId")),
                                               Description=description)]
    return permission


def secret_request(p, ctx):
    request = present(p, Name=p.get("Name"), Description=p.get("Description"), KmsKeyId=p.get("KmsKeyId"),
                      SecretString=p.get("SecretString"), Tags=p.get("Tags"))
    return request


def random_password(p, ctx):
    spec = p.get("GenerateSecretString")
    if not isinstance(spec, dict):
        return None
    # SecretStringTemplate and GenerateStringKey are CloudFormation's: it puts the password into the template.
    return rest(spec, "SecretStringTemplate", "GenerateStringKey")


def generated_template_secret(p, ctx):
    """The JSON secret CloudFormation stores: the template with the generated key, as CreateSecret's SecretString."""
    spec = p.get("GenerateSecretString")
    if not isinstance(spec, dict) or "SecretStringTemplate" not in spec:
        return None
    try:
        document = json.loads(spec["SecretStringTemplate"])
    except (TypeError, ValueError):
        return {"Name": ctx.generated_name(512), "SecretString": UNRESOLVED,
                "Description": "SecretStringTemplate is not JSON"}
    document[spec.get("GenerateStringKey", "password")] = "x" * int(spec.get("PasswordLength", 32))
    return {"Name": p.get("Name", ctx.generated_name(512)), "SecretString": json.dumps(document)}


def each(items, build):
    return [build(item) for item in (items or []) if item is not UNRESOLVED]


TABLE = {
    # --- CloudWatch
    "AWS::CloudWatch::Alarm": Row(calls=(
        Call("cloudwatch", "PutMetricAlarm", lambda p, c: p, generated=("AlarmName",)),)),
    "AWS::CloudWatch::CompositeAlarm": Row(calls=(
        Call("cloudwatch", "PutCompositeAlarm", lambda p, c: p, generated=("AlarmName",)),)),
    "AWS::CloudWatch::Dashboard": Row(calls=(
        Call("cloudwatch", "PutDashboard", lambda p, c: rest(p, "Tags"), generated=("DashboardName",)),
        Call("cloudwatch", "TagResource", lambda p, c: p.get("Tags") and {
            "ResourceARN": f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/x", "Tags": p["Tags"]}),)),
    # --- Data Lifecycle Manager, EventBridge Scheduler, EventBridge
    "AWS::DLM::LifecyclePolicy": Row(calls=(
        Call("dlm", "CreateLifecyclePolicy", lambda p, c: {**rest(p, "Tags"), **present(p, Tags=tags_map(p.get("Tags")))}),)),
    "AWS::Scheduler::Schedule": Row(calls=(
        Call("scheduler", "CreateSchedule", lambda p, c: p, generated=("Name",)),)),
    "AWS::Events::Rule": Row(calls=(
        Call("events", "PutRule", lambda p, c: {**rest(p, "Targets", "EventPattern"), **present(
            p, EventPattern=json_text(p["EventPattern"]) if "EventPattern" in p else None),
            "Name": p.get("Name", c.generated_name(64))}),
        Call("events", "PutTargets", lambda p, c: p.get("Targets") and {
            "Rule": p.get("Name", c.generated_name(64)), "Targets": p["Targets"]}),)),
    # --- Glue, Athena
    "AWS::Glue::Database": Row(calls=(Call("glue", "CreateDatabase", lambda p, c: p),)),
    "AWS::Glue::Table": Row(calls=(Call("glue", "CreateTable", lambda p, c: p),)),
    "AWS::Athena::WorkGroup": Row(calls=(
        Call("athena", "CreateWorkGroup", lambda p, c: present(
            p, Name=p.get("Name"), Description=p.get("Description"), Tags=p.get("Tags"),
            Configuration=p.get("WorkGroupConfiguration"))),
        Call("athena", "UpdateWorkGroup", lambda p, c: "State" in p and {"WorkGroup": p.get("Name"), "State": p["State"]}),
        Call("athena", "DeleteWorkGroup", lambda p, c: "RecursiveDeleteOption" in p and {
            "WorkGroup": p.get("Name"), "RecursiveDeleteOption": p["RecursiveDeleteOption"]}),)),
    # --- EMR
    "AWS::EMR::SecurityConfiguration": Row(calls=(
        Call("emr", "CreateSecurityConfiguration", lambda p, c: {
            "Name": p.get("Name", c.generated_name()), "SecurityConfiguration": json_text(p.get("SecurityConfiguration"))}),)),
    # --- SNS, KMS, Secrets Manager
    "AWS::SNS::Topic": Row(calls=(
        Call("sns", "CreateTopic", lambda p, c: present(
            p, Name=p.get("TopicName", c.generated_name(256)), Tags=p.get("Tags"), Attributes={
                k: v for k, v in p.items() if k in ("DisplayName", "KmsMasterKeyId", "FifoTopic", "SignatureVersion",
                                                    "TracingConfig", "ContentBasedDeduplication")} or None)),)),
    "AWS::SNS::TopicPolicy": Row(calls=(
        Call("sns", "SetTopicAttributes", lambda p, c: each(p.get("Topics"), lambda topic: {
            "TopicArn": topic, "AttributeName": "Policy", "AttributeValue": json_text(p["PolicyDocument"])})),)),
    "AWS::KMS::Key": Row(calls=(
        Call("kms", "CreateKey", lambda p, c: present(
            p, Description=p.get("Description"), Policy=json_text(p["KeyPolicy"]) if "KeyPolicy" in p else None,
            KeySpec=p.get("KeySpec"), KeyUsage=p.get("KeyUsage"), MultiRegion=p.get("MultiRegion"),
            Tags=[{"TagKey": t["Key"], "TagValue": t["Value"]} for t in p["Tags"]] if p.get("Tags") else None)),
        Call("kms", "EnableKeyRotation", lambda p, c: p.get("EnableKeyRotation") is True and present(
            p, KeyId="1234abcd-12ab-34cd-56ef-1234567890ab", RotationPeriodInDays=p.get("RotationPeriodInDays"))),
        Call("kms", "ScheduleKeyDeletion", lambda p, c: "PendingWindowInDays" in p and {
            "KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "PendingWindowInDays": p["PendingWindowInDays"]}),)),
    "AWS::SecretsManager::Secret": Row(calls=(
        Call("secretsmanager", "CreateSecret", lambda p, c: {**secret_request(p, c), "Name": p.get("Name", c.generated_name(512))}),
        Call("secretsmanager", "GetRandomPassword", random_password),
        Call("secretsmanager", "PutSecretValue", lambda p, c: (
            lambda s: s and {"SecretId": s["Name"], "SecretString": s["SecretString"]})(generated_template_secret(p, c))),)),
    # --- Lambda
    "AWS::Lambda::Function": Row(calls=(
        Call("lambda", "CreateFunction", lambda p, c: {
            **rest(p, "Tags", "ReservedConcurrentExecutions", "Code"),
            **present(p, Tags=tags_map(p.get("Tags"))),
            "Code": {"ZipFile": "code"} if "ZipFile" in (p.get("Code") or {}) else p.get("Code"),
            "FunctionName": p.get("FunctionName", c.generated_name(64))}),
        Call("lambda", "PutFunctionConcurrency", lambda p, c: "ReservedConcurrentExecutions" in p and {
            "FunctionName": p.get("FunctionName", c.generated_name(64)),
            "ReservedConcurrentExecutions": p["ReservedConcurrentExecutions"]}),)),
    "AWS::Lambda::LayerVersion": Row(calls=(
        Call("lambda", "PublishLayerVersion", lambda p, c: {**p, "LayerName": p.get("LayerName", c.generated_name(64))}),)),
    "AWS::Lambda::Permission": Row(calls=(
        Call("lambda", "AddPermission", lambda p, c: {**p, "StatementId": c.generated_name(100)}),)),
    # --- CloudWatch Logs (camelCase members)
    "AWS::Logs::LogGroup": Row(calls=(
        Call("logs", "CreateLogGroup", lambda p, c: present(
            p, logGroupName=p.get("LogGroupName", c.generated_name(512)), kmsKeyId=p.get("KmsKeyId"),
            logGroupClass=p.get("LogGroupClass"), tags=tags_map(p.get("Tags")))),
        Call("logs", "PutRetentionPolicy", lambda p, c: "RetentionInDays" in p and {
            "logGroupName": p.get("LogGroupName", c.generated_name(512)), "retentionInDays": p["RetentionInDays"]}),)),
    # --- IAM
    "AWS::IAM::Role": Row(calls=(
        Call("iam", "CreateRole", lambda p, c: {
            **rest(p, "ManagedPolicyArns", "Policies", "AssumeRolePolicyDocument"),
            "RoleName": p.get("RoleName", c.generated_name(64)),
            "AssumeRolePolicyDocument": json_text(p.get("AssumeRolePolicyDocument"))}),
        Call("iam", "AttachRolePolicy", lambda p, c: each(p.get("ManagedPolicyArns"), lambda arn: {
            "RoleName": p.get("RoleName", c.generated_name(64)), "PolicyArn": arn})),
        Call("iam", "PutRolePolicy", lambda p, c: each(p.get("Policies"), lambda policy: {
            "RoleName": p.get("RoleName", c.generated_name(64)), "PolicyName": policy.get("PolicyName"),
            "PolicyDocument": json_text(policy.get("PolicyDocument"))})),)),
    "AWS::IAM::Policy": Row(calls=(
        Call("iam", "PutRolePolicy", lambda p, c: each(p.get("Roles"), lambda role: {
            "RoleName": role, "PolicyName": p.get("PolicyName"), "PolicyDocument": json_text(p.get("PolicyDocument"))})),)),
    "AWS::IAM::ManagedPolicy": Row(calls=(
        Call("iam", "CreatePolicy", lambda p, c: present(
            p, PolicyName=p.get("ManagedPolicyName", c.generated_name(128)), Path=p.get("Path"),
            Description=p.get("Description"), PolicyDocument=json_text(p.get("PolicyDocument")))),
        Call("iam", "AttachRolePolicy", lambda p, c: each(p.get("Roles"), lambda role: {
            "RoleName": role, "PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/x"})),)),
    "AWS::IAM::InstanceProfile": Row(calls=(
        Call("iam", "CreateInstanceProfile", lambda p, c: present(
            p, InstanceProfileName=p.get("InstanceProfileName", c.generated_name(128)), Path=p.get("Path"))),
        Call("iam", "AddRoleToInstanceProfile", lambda p, c: each(p.get("Roles"), lambda role: {
            "InstanceProfileName": p.get("InstanceProfileName", c.generated_name(128)), "RoleName": role})),)),
    "AWS::IAM::OIDCProvider": Row(calls=(
        Call("iam", "CreateOpenIDConnectProvider", lambda p, c: present(
            p, Url=p.get("Url"), ClientIDList=p.get("ClientIdList"), ThumbprintList=p.get("ThumbprintList"),
            Tags=p.get("Tags"))),)),
    # --- Systems Manager: the Session Manager preferences document of the Airflow host
    "AWS::SSM::Document": Row(calls=(
        Call("ssm", "CreateDocument", lambda p, c: present(
            p, Content=json_text(p["Content"]) if not isinstance(p["Content"], str) else p["Content"],
            Name=p.get("Name", c.generated_name(128)), DocumentType=p.get("DocumentType"),
            DocumentFormat=p.get("DocumentFormat"), TargetType=p.get("TargetType"), VersionName=p.get("VersionName"),
            Tags=tags_list(p.get("Tags")))),)),
    # --- S3: CloudFormation creates the bucket, then one call per configuration
    "AWS::S3::Bucket": Row(calls=(
        Call("s3", "CreateBucket", lambda p, c: {"Bucket": p.get("BucketName", c.generated_name(63, lower=True))}),
        Call("s3", "PutBucketEncryption", lambda p, c: "BucketEncryption" in p and {
            "Bucket": "b", "ServerSideEncryptionConfiguration": s3_encryption(p["BucketEncryption"])}),
        Call("s3", "PutBucketLifecycleConfiguration", lambda p, c: "LifecycleConfiguration" in p and {
            "Bucket": "b", "LifecycleConfiguration": {"Rules": [
                s3_lifecycle_rule(r) for r in p["LifecycleConfiguration"].get("Rules", [])]}}),
        Call("s3", "PutBucketLogging", lambda p, c: "LoggingConfiguration" in p and {
            "Bucket": "b", "BucketLoggingStatus": {"LoggingEnabled": present(
                p, TargetBucket=p["LoggingConfiguration"].get("DestinationBucketName", UNRESOLVED),
                TargetPrefix=p["LoggingConfiguration"].get("LogFilePrefix", ""))}}),
        Call("s3", "PutBucketOwnershipControls", lambda p, c: "OwnershipControls" in p and {
            "Bucket": "b", "OwnershipControls": p["OwnershipControls"]}),
        Call("s3", "PutPublicAccessBlock", lambda p, c: "PublicAccessBlockConfiguration" in p and {
            "Bucket": "b", "PublicAccessBlockConfiguration": p["PublicAccessBlockConfiguration"]}),
        Call("s3", "PutBucketVersioning", lambda p, c: "VersioningConfiguration" in p and {
            "Bucket": "b", "VersioningConfiguration": p["VersioningConfiguration"]}),
        Call("s3", "PutBucketTagging", lambda p, c: "Tags" in p and {"Bucket": "b", "Tagging": {"TagSet": p["Tags"]}}),)),
    "AWS::S3::BucketPolicy": Row(calls=(
        Call("s3", "PutBucketPolicy", lambda p, c: {"Bucket": p.get("Bucket"), "Policy": json_text(p.get("PolicyDocument"))}),)),
    # --- EC2 (the model has types and enums, few patterns)
    "AWS::EC2::VPC": Row(calls=(
        Call("ec2", "CreateVpc", lambda p, c: present(
            p, CidrBlock=p.get("CidrBlock"), InstanceTenancy=p.get("InstanceTenancy"),
            TagSpecifications=ec2_tags("vpc", p.get("Tags")))),
        Call("ec2", "ModifyVpcAttribute", lambda p, c: [
            {"VpcId": "vpc-0123456789abcdef0", key: {"Value": p[key]}}
            for key in ("EnableDnsHostnames", "EnableDnsSupport") if key in p]),)),
    "AWS::EC2::Subnet": Row(calls=(
        Call("ec2", "CreateSubnet", lambda p, c: present(
            p, VpcId=p.get("VpcId"), CidrBlock=p.get("CidrBlock"), AvailabilityZone=p.get("AvailabilityZone"),
            TagSpecifications=ec2_tags("subnet", p.get("Tags")))),
        Call("ec2", "ModifySubnetAttribute", lambda p, c: "MapPublicIpOnLaunch" in p and {
            "SubnetId": "subnet-0123456789abcdef0", "MapPublicIpOnLaunch": {"Value": p["MapPublicIpOnLaunch"]}}),)),
    "AWS::EC2::RouteTable": Row(calls=(
        Call("ec2", "CreateRouteTable", lambda p, c: present(
            p, VpcId=p.get("VpcId"), TagSpecifications=ec2_tags("route-table", p.get("Tags")))),)),
    "AWS::EC2::SubnetRouteTableAssociation": Row(calls=(Call("ec2", "AssociateRouteTable", lambda p, c: p),)),
    "AWS::EC2::Route": Row(calls=(Call("ec2", "CreateRoute", lambda p, c: p),)),
    "AWS::EC2::InternetGateway": Row(calls=(
        Call("ec2", "CreateInternetGateway", lambda p, c: present(
            p, TagSpecifications=ec2_tags("internet-gateway", p.get("Tags")))),)),
    "AWS::EC2::VPCGatewayAttachment": Row(calls=(Call("ec2", "AttachInternetGateway", lambda p, c: p),)),
    "AWS::EC2::EIP": Row(calls=(
        Call("ec2", "AllocateAddress", lambda p, c: present(
            p, Domain=p.get("Domain"), TagSpecifications=ec2_tags("elastic-ip", p.get("Tags")))),)),
    "AWS::EC2::NatGateway": Row(calls=(
        Call("ec2", "CreateNatGateway", lambda p, c: {**rest(p, "Tags"), **present(
            p, TagSpecifications=ec2_tags("natgateway", p.get("Tags")))}),)),
    "AWS::EC2::VPCEndpoint": Row(calls=(
        Call("ec2", "CreateVpcEndpoint", lambda p, c: {**rest(p, "Tags", "PolicyDocument"), **present(
            p, TagSpecifications=ec2_tags("vpc-endpoint", p.get("Tags")),
            PolicyDocument=json_text(p["PolicyDocument"]) if "PolicyDocument" in p else None)}),)),
    "AWS::EC2::FlowLog": Row(calls=(
        Call("ec2", "CreateFlowLogs", lambda p, c: {**rest(p, "Tags", "ResourceId"), "ResourceIds": [p.get("ResourceId")],
                                                    **present(p, TagSpecifications=ec2_tags("vpc-flow-log", p.get("Tags")))}),)),
    "AWS::EC2::SecurityGroup": Row(calls=(
        Call("ec2", "CreateSecurityGroup", lambda p, c: present(
            p, GroupName=p.get("GroupName", c.generated_name(255)), Description=p.get("GroupDescription"),
            VpcId=p.get("VpcId"), TagSpecifications=ec2_tags("security-group", p.get("Tags")))),
        Call("ec2", "AuthorizeSecurityGroupIngress", lambda p, c: each(p.get("SecurityGroupIngress"), lambda r: {
            "GroupId": "sg-0123456789abcdef0",
            "IpPermissions": [security_group_rule(r, "SourceSecurityGroupId", "SourceSecurityGroupName")]})),
        Call("ec2", "AuthorizeSecurityGroupEgress", lambda p, c: each(p.get("SecurityGroupEgress"), lambda r: {
            "GroupId": "sg-0123456789abcdef0",
            "IpPermissions": [security_group_rule(r, "DestinationSecurityGroupId", "DestinationSecurityGroupId")]})),)),
    "AWS::EC2::SecurityGroupIngress": Row(calls=(
        Call("ec2", "AuthorizeSecurityGroupIngress", lambda p, c: {
            "GroupId": p.get("GroupId"),
            "IpPermissions": [security_group_rule(p, "SourceSecurityGroupId", "SourceSecurityGroupName")]}),)),
    "AWS::EC2::SecurityGroupEgress": Row(calls=(
        Call("ec2", "AuthorizeSecurityGroupEgress", lambda p, c: {
            "GroupId": p.get("GroupId"),
            "IpPermissions": [security_group_rule(p, "DestinationSecurityGroupId", "DestinationSecurityGroupId")]}),)),
    "AWS::EC2::Volume": Row(calls=(
        Call("ec2", "CreateVolume", lambda p, c: {**rest(p, "Tags", "AutoEnableIO"), **present(
            p, TagSpecifications=ec2_tags("volume", p.get("Tags")))}),)),
    "AWS::EC2::LaunchTemplate": Row(calls=(Call("ec2", "CreateLaunchTemplate", lambda p, c: {
        **p, "LaunchTemplateName": p.get("LaunchTemplateName", c.generated_name(128))}),)),
    "AWS::EC2::Instance": Row(calls=(
        Call("ec2", "RunInstances", lambda p, c: {
            **rest(p, "Tags", "AvailabilityZone", "IamInstanceProfile", "Monitoring", "NetworkInterfaces",
                   "SourceDestCheck"),
            "MinCount": 1, "MaxCount": 1,
            **present(p, TagSpecifications=ec2_tags("instance", p.get("Tags")),
                      Placement={"AvailabilityZone": p["AvailabilityZone"]} if "AvailabilityZone" in p else None,
                      IamInstanceProfile={"Name": p["IamInstanceProfile"]} if "IamInstanceProfile" in p else None,
                      Monitoring={"Enabled": p["Monitoring"]} if "Monitoring" in p else None,
                      NetworkInterfaces=[instance_network_interface(n) for n in p["NetworkInterfaces"]]
                      if "NetworkInterfaces" in p else None)}),
        Call("ec2", "ModifyInstanceAttribute", lambda p, c: "SourceDestCheck" in p and {
            "InstanceId": "i-0123456789abcdef0", "SourceDestCheck": {"Value": p["SourceDestCheck"]}}),)),
    # --- Not a service call of its own
    "AWS::CDK::Metadata": Row(nothing_to_judge="aws-cdk-lib's version report; CloudFormation stores it and calls no API"),
}

# Custom resources: CloudFormation invokes their provider Lambda with the properties; no AWS API sees them.
CUSTOM_RESOURCES = {
    "Custom::CDKBucketDeployment": "aws-cdk-lib's BucketDeployment handler (its own tests upstream)",
    "Custom::S3AutoDeleteObjects": "aws-cdk-lib's bucket auto-delete handler",
    "Custom::VpcRestrictDefaultSG": "aws-cdk-lib's default security group restriction handler",
    "Custom::EmrSecurityGroupRuleCleanup": "our revoke_security_group_rules.py (src/main/resources/emr), with its own tests",
}


@dataclasses.dataclass
class Judgement:
    template: str
    resources: int = 0  # resources whose properties were judged
    calls: int = 0  # requests validated
    tally: Tally = dataclasses.field(default_factory=Tally)
    problems: list = dataclasses.field(default_factory=list)
    unjudged_types: set = dataclasses.field(default_factory=set)


def judge(name, template, stack, region="us-east-1", table=None):
    """Validate every resource of one template against the service models; problems name resource and member."""
    table = TABLE if table is None else table
    result = Judgement(name)
    for logical_id, resource in (template.get("Resources") or {}).items():
        kind = resource.get("Type")
        if kind in CUSTOM_RESOURCES:
            continue
        row = table.get(kind)
        if row is None:
            result.unjudged_types.add(kind)
            continue
        if row.nothing_to_judge:
            continue
        ctx = Context(stack, logical_id, region)
        props = resolve(resource.get("Properties") or {}, ctx)
        result.resources += 1
        for call in row.calls:
            requests = call.request(props, ctx)
            if not requests:
                continue
            for request in requests if isinstance(requests, list) else [requests]:
                operation = model(call.service).operation_model(call.operation)
                problems = []
                validate(operation.input_shape, request, f"{call.operation}", problems, result.tally, call.generated)
                result.calls += 1
                result.problems.extend(f"{name} {logical_id} ({kind}) -> {call.service} {p}" for p in problems)
    return result



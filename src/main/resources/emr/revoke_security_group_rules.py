"""CloudFormation custom resource: on Delete, revoke every rule of the EMR-managed security groups.

EMR adds rules at runtime that make its managed security groups reference each other. Those rules
are not in the template, so CloudFormation cannot delete the groups (DependencyViolation) until
they are gone. The resource does nothing on Create and Update. It runs after CloudFormation has
deleted the rules it manages itself, and right before it deletes the groups.
"""
import boto3
import cfnresponse

ec2 = boto3.client("ec2")


def revoke_all_rules(group_id):
    paginator = ec2.get_paginator("describe_security_group_rules")
    ingress, egress = [], []
    for page in paginator.paginate(Filters=[{"Name": "group-id", "Values": [group_id]}]):
        for rule in page["SecurityGroupRules"]:
            (egress if rule["IsEgress"] else ingress).append(rule["SecurityGroupRuleId"])
    if ingress:
        ec2.revoke_security_group_ingress(GroupId=group_id, SecurityGroupRuleIds=ingress)
    if egress:
        ec2.revoke_security_group_egress(GroupId=group_id, SecurityGroupRuleIds=egress)
    return len(ingress) + len(egress)


def handler(event, context):
    physical_id = "emr-managed-security-group-rules"
    try:
        if event["RequestType"] == "Delete":
            for group_id in event["ResourceProperties"]["SecurityGroupIds"]:
                try:
                    count = revoke_all_rules(group_id)
                    print(f"revoked {count} rules of {group_id}")
                except ec2.exceptions.ClientError as error:
                    if error.response["Error"]["Code"] != "InvalidGroup.NotFound":
                        raise
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {}, physical_id)
    except Exception as error:  # report any failure to CloudFormation instead of timing out
        print(f"failed: {error!r}")
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, physical_id, reason=str(error)[:200])

package io.dataplatform.emr;

import static io.dataplatform.support.Json.list;
import static io.dataplatform.support.Json.map;
import static io.dataplatform.support.Json.properties;
import static io.dataplatform.support.Json.resources;
import static io.dataplatform.support.Json.tags;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.network.NetworkStack;
import io.dataplatform.support.Synth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class EmrStackTest {
    private static Template dev() {
        return Synth.fixture("dev").emr();
    }

    private static Map<String, Object> role(String logicalIdPrefix) {
        return resources(dev(), "AWS::IAM::Role").entrySet().stream().filter(e -> e.getKey().startsWith(logicalIdPrefix))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
    }

    private static List<Map<String, Object>> statementsOf(String policyLogicalIdPrefix) {
        Map<String, Object> policy = resources(dev(), "AWS::IAM::Policy").entrySet().stream()
                .filter(e -> e.getKey().startsWith(policyLogicalIdPrefix)).map(Map.Entry::getValue).findFirst().orElseThrow();
        List<Map<String, Object>> statements = new ArrayList<>();
        list(map(properties(policy).get("PolicyDocument")).get("Statement")).forEach(s -> statements.add(map(s)));
        return statements;
    }

    private static Map<String, Object> statement(String policy, String sid) {
        return statementsOf(policy).stream().filter(s -> sid.equals(s.get("Sid"))).findFirst().orElseThrow();
    }

    private static List<String> actions(Map<String, Object> statement) {
        Object actions = statement.get("Action");
        return actions instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(actions));
    }

    @Test
    void serviceRoleIsTrustedByEmrOnlyForThisAccountAndUsesTheV2Policy() {
        Map<String, Object> role = properties(role("RolesServiceRole"));
        Map<String, Object> trust = map(list(map(role.get("AssumeRolePolicyDocument")).get("Statement")).get(0));
        assertThat(trust.get("Principal")).isEqualTo(Map.of("Service", "elasticmapreduce.amazonaws.com"));
        assertThat(map(trust.get("Condition"))).containsEntry("StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")))
                .containsKey("ArnLike");
        assertThat(map(map(trust.get("Condition")).get("ArnLike")).get("aws:SourceArn").toString()).contains(":elasticmapreduce:");
        assertThat(role.get("ManagedPolicyArns").toString()).contains("service-role/AmazonEMRServicePolicy_v2")
                .doesNotContain("AmazonElasticMapReduceRole");
    }

    @Test
    void serviceRolePassesOnlyOurRolesEachToItsOwnService() {
        Map<String, Object> ec2 = statement("RolesServiceRoleDefaultPolicy", "PassEc2RoleToClusterNodes");
        assertThat(ec2.get("Action")).isEqualTo("iam:PassRole");
        assertThat(ec2.get("Resource")).isEqualTo(Map.of("Fn::GetAtt", List.of("RolesEc2Role1D86A81B", "Arn")));
        assertThat(ec2.get("Condition")).isEqualTo(Map.of("StringLike", Map.of("iam:PassedToService", "ec2.amazonaws.com*")));
        Map<String, Object> scaling = statement("RolesServiceRoleDefaultPolicy", "PassAutoScalingRole");
        assertThat(scaling.get("Condition")).isEqualTo(Map.of("StringLike",
                Map.of("iam:PassedToService", "application-autoscaling.amazonaws.com*")));
        List<Map<String, Object>> passRoles = new ArrayList<>();
        for (var entry : resources(dev(), "AWS::IAM::Policy").entrySet()) {
            list(map(properties(entry.getValue()).get("PolicyDocument")).get("Statement")).stream().map(s -> map(s))
                    .filter(s -> actions(s).contains("iam:PassRole")).forEach(passRoles::add);
        }
        assertThat(passRoles).hasSize(2).allSatisfy(s -> assertThat(s).containsKey("Condition"));
    }

    @Test
    void nodeRoleIsLeastPrivilegeOnTheDataLake() {
        Map<String, Object> role = properties(role("RolesEc2Role"));
        assertThat(map(list(map(role.get("AssumeRolePolicyDocument")).get("Statement")).get(0)).get("Principal"))
                .isEqualTo(Map.of("Service", "ec2.amazonaws.com"));
        // No AWS managed policy (AmazonSSMManagedInstanceCore reads every parameter, CloudWatchAgentServerPolicy puts
        // metrics into any namespace): Session Manager's channels only, and nothing for an agent the nodes do not run.
        assertThat(role).doesNotContainKey("ManagedPolicyArns");
        assertThat(actions(statement("RolesEc2RoleDefaultPolicy", "SessionManagerChannels")))
                .containsExactlyInAnyOrderElementsOf(io.dataplatform.core.InstanceRoles.SESSION_MANAGER_ACTIONS);

        List<Map<String, Object>> statements = statementsOf("RolesEc2RoleDefaultPolicy");
        assertThat(statements).allSatisfy(s -> {
            assertThat(actions(s)).allSatisfy(a -> assertThat(a).doesNotContain("*"));
            if (!"SessionManagerChannels".equals(s.get("Sid"))) { // ssmmessages takes no resource type
                assertThat(s.get("Resource")).isNotEqualTo("*");
            }
        });
        assertThat(actions(statement("RolesEc2RoleDefaultPolicy", "ReadRawObjects"))).containsExactly("s3:GetObject");
        assertThat(actions(statement("RolesEc2RoleDefaultPolicy", "ReadArtifactsObjects"))).containsExactly("s3:GetObject");
        assertThat(actions(statement("RolesEc2RoleDefaultPolicy", "ReadWriteCuratedObjects"))).contains("s3:PutObject", "s3:DeleteObject");
        Map<String, Object> logs = statement("RolesEc2RoleDefaultPolicy", "WriteClusterLogs");
        assertThat(actions(logs)).containsExactly("s3:PutObject");
        assertThat(logs.get("Resource").toString()).endsWith("/emr/*]]}");
        // Only curated is writable.
        statements.stream().filter(s -> actions(s).contains("s3:PutObject"))
                .forEach(s -> assertThat(String.valueOf(s.get("Sid"))).isIn("ReadWriteCuratedObjects", "WriteClusterLogs"));
        // Each bucket statement names exactly one bucket of the data lake.
        assertThat(statement("RolesEc2RoleDefaultPolicy", "ReadRawObjects").get("Resource").toString()).contains("RawBucket")
                .doesNotContain("CuratedBucket");
    }

    @Test
    void instanceProfileWrapsTheNodeRoleUnderTheSameExplicitName() {
        // EMR rejects an instance profile whose name differs from its role's ("invalid instance profile").
        Map<String, Object> name = Map.of("Fn::Join", List.of("", List.of("dataplat-dev-emr-nodes-", Map.of("Ref", "AWS::Region"))));
        dev().hasResourceProperties("AWS::IAM::InstanceProfile", Map.of("Roles", List.of(Map.of("Ref", "RolesEc2Role1D86A81B")),
                "InstanceProfileName", name));
        assertThat(properties(role("RolesEc2Role")).get("RoleName")).isEqualTo(name);
    }

    @Test
    void autoScalingRoleHasTheTrustAndPolicyEmrRequires() {
        Map<String, Object> role = properties(role("RolesAutoScalingRole"));
        String trust = role.get("AssumeRolePolicyDocument").toString();
        assertThat(trust).contains("application-autoscaling.amazonaws.com").contains("elasticmapreduce.amazonaws.com")
                .contains("aws:SourceAccount");
        assertThat(role.get("ManagedPolicyArns").toString()).contains("service-role/AmazonElasticMapReduceforAutoScalingRole");
    }

    @Test
    void managedSecurityGroupsCarryTheEmrTagAndTheDocumentedRules() {
        Map<String, Map<String, Object>> groups = resources(dev(), "AWS::EC2::SecurityGroup");
        assertThat(groups).hasSize(3);
        groups.values().forEach(g -> assertThat(tags(g)).containsEntry(NetworkStack.EMR_MANAGED_TAG, "true"));
        dev().hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of("IpProtocol", "tcp", "FromPort", 9443, "ToPort", 9443,
                "GroupId", Map.of("Fn::GetAtt", List.of("SecurityGroupsPrimaryBC697BD0", "GroupId")),
                "SourceSecurityGroupId", Map.of("Fn::GetAtt", List.of("SecurityGroupsServiceAccess39330691", "GroupId"))));
        for (String target : List.of("SecurityGroupsPrimaryBC697BD0", "SecurityGroupsCoreF99C54FA")) {
            dev().hasResourceProperties("AWS::EC2::SecurityGroupEgress", Map.of("IpProtocol", "tcp", "FromPort", 8443, "ToPort", 8443,
                    "GroupId", Map.of("Fn::GetAtt", List.of("SecurityGroupsServiceAccess39330691", "GroupId")),
                    "DestinationSecurityGroupId", Map.of("Fn::GetAtt", List.of(target, "GroupId"))));
        }
        // The service-access group may only talk to the cluster, not the internet.
        assertThat(String.valueOf(properties(groups.get("SecurityGroupsServiceAccess39330691")).get("SecurityGroupEgress")))
                .doesNotContain("0.0.0.0/0");
        assertThat(resources(dev(), "AWS::EC2::SecurityGroupEgress").values())
                .allSatisfy(rule -> assertThat(properties(rule)).containsKey("DestinationSecurityGroupId"));
    }

    @Test
    void runtimeRulesAreRevokedBeforeTheGroupsAreDeleted() {
        Template t = dev();
        t.hasResourceProperties("Custom::EmrSecurityGroupRuleCleanup", Map.of("SecurityGroupIds", List.of(
                Map.of("Fn::GetAtt", List.of("SecurityGroupsPrimaryBC697BD0", "GroupId")),
                Map.of("Fn::GetAtt", List.of("SecurityGroupsCoreF99C54FA", "GroupId")),
                Map.of("Fn::GetAtt", List.of("SecurityGroupsServiceAccess39330691", "GroupId")))));
        // Our own rule resources go first (they depend on the cleanup), so it only revokes EMR's.
        for (String type : List.of("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress")) {
            resources(t, type).forEach((id, rule) -> assertThat(rule.get("DependsOn").toString()).as(id).contains("SecurityGroupsRevokeRules39CEF938"));
        }
        t.hasResourceProperties("AWS::Lambda::Function", Map.of("Runtime", "python3.14", "Handler", "index.handler",
                "Code", Map.of("ZipFile", Match.stringLikeRegexp("[\\s\\S]*revoke_security_group_ingress[\\s\\S]*"))));
        Map<String, Object> revoke = statement("SecurityGroupsRevokeRulesOnDeleteServiceRoleDefaultPolicy", "RevokeRulesOfEmrGroupsOnly");
        assertThat(actions(revoke)).containsExactlyInAnyOrder("ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress");
        assertThat(list(revoke.get("Resource"))).hasSize(3).allSatisfy(r -> assertThat(r.toString()).contains(":security-group/"));
    }

    @Test
    void securityConfigurationEncryptsS3LocalDisksAndEbsAndRequiresImdsV2() {
        Map<String, Object> config = map(properties(resources(dev(), "AWS::EMR::SecurityConfiguration").values().iterator().next())
                .get("SecurityConfiguration"));
        Map<String, Object> encryption = map(config.get("EncryptionConfiguration"));
        assertThat(encryption).containsEntry("EnableAtRestEncryption", true).containsEntry("EnableInTransitEncryption", false)
                .doesNotContainKey("InTransitEncryptionConfiguration");
        Map<String, Object> atRest = map(encryption.get("AtRestEncryptionConfiguration"));
        assertThat(atRest.get("S3EncryptionConfiguration")).isEqualTo(Map.of("EncryptionMode", "SSE-S3"));
        assertThat(map(atRest.get("LocalDiskEncryptionConfiguration"))).containsEntry("EncryptionKeyProviderType", "AwsKms")
                .containsEntry("EnableEbsEncryption", true)
                .containsEntry("AwsKmsKey", Map.of("Fn::GetAtt", List.of("SecurityConfigurationLocalDiskKeyCAA42B8F", "Arn")));
        assertThat(config.get("InstanceMetadataServiceConfiguration"))
                .isEqualTo(Map.of("MinimumInstanceMetadataServiceVersion", 2, "HttpPutResponseHopLimit", 2));
        dev().hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
    }

    @Test
    void inTransitEncryptionUsesTheConfiguredCertificates() {
        var emr = new io.dataplatform.config.EmrConfig("emr-7.13.0", "m7g.xlarge", "m7g.xlarge", 2, true, 30, true,
                Optional.of("emr/tls/certs.zip"), 5);
        Map<String, Object> document = EmrSecurityConfiguration.document(emr, "key-arn", "artifacts-bucket");
        Map<String, Object> encryption = map(document.get("EncryptionConfiguration"));
        assertThat(encryption).containsEntry("EnableInTransitEncryption", true);
        assertThat(encryption.get("InTransitEncryptionConfiguration")).isEqualTo(Map.of("TLSCertificateConfiguration",
                Map.of("CertificateProviderType", "PEM", "S3Object", "s3://artifacts-bucket/emr/tls/certs.zip")));
    }

    @Test
    void keyUsersAreTheServiceRoleAndTheNodesOnly() {
        for (String policy : List.of("RolesEc2RoleDefaultPolicy", "RolesServiceRoleDefaultPolicy")) {
            assertThat(statementsOf(policy).stream().filter(s -> actions(s).contains("kms:Decrypt")))
                    .singleElement().satisfies(s -> assertThat(actions(s)).containsExactlyInAnyOrderElementsOf(
                            EmrSecurityConfiguration.KEY_USER_ACTIONS));
        }
        assertThat(statement("RolesServiceRoleDefaultPolicy", "CreateGrantsForEbsEncryption").get("Condition"))
                .isEqualTo(Map.of("Bool", Map.of("kms:GrantIsForAWSResource", true)));
    }

    @Test
    void pipelineFilesAreShippedUnderTheirOwnPrefixesWithoutPruning() {
        Map<String, Map<String, Object>> deployments = resources(dev(), "Custom::CDKBucketDeployment");
        assertThat(deployments).hasSize(3);
        List<String> prefixes = new ArrayList<>();
        deployments.values().forEach(d -> {
            Map<String, Object> p = properties(d);
            assertThat(p).containsEntry("Prune", false).containsEntry("RetainOnDelete", true);
            prefixes.add(p.get("DestinationBucketKeyPrefix") + " -> " + p.get("DestinationBucketName"));
        });
        assertThat(prefixes).anySatisfy(p -> assertThat(p).startsWith("dags/ ->").contains("ArtifactsBucket"))
                .anySatisfy(p -> assertThat(p).startsWith("jobs/ ->").contains("ArtifactsBucket"))
                .anySatisfy(p -> assertThat(p).startsWith("samples/ ->").contains("RawBucket"));
    }

    @Test
    void everythingTheSchedulerNeedsIsAnOutput() {
        for (String output : List.of("ServiceRoleName", "ServiceRoleArn", "Ec2RoleArn", "InstanceProfileName",
                "AutoScalingRoleName", "PrimarySecurityGroupId", "CoreSecurityGroupId", "ServiceAccessSecurityGroupId",
                "PrivateSubnetIds", "LogUri", "SecurityConfigurationName")) {
            dev().hasOutput(output, Map.of());
        }
        EmrResources resources = Synth.fixture("dev").platform().emr().resources();
        assertThat(resources.privateSubnetIds()).hasSize(2);
    }
}

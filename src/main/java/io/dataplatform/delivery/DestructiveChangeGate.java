package io.dataplatform.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the templates of a release with a new synthesis and lists every stateful resource that
 * CloudFormation would replace or delete: a logical id that disappears (renamed or removed
 * construct, removed stack), a changed type, or a change to a property whose update requires
 * replacement. Works offline on template JSON; no AWS account needed.
 */
public final class DestructiveChangeGate {
    /**
     * Stateful resource types and the properties whose change means replacement (from the
     * CloudFormation resource reference, "Update requires: Replacement").
     */
    static final Map<String, Set<String>> REPLACING_PROPERTIES = Map.of(
            "AWS::S3::Bucket", Set.of("BucketName", "ObjectLockEnabled"),
            "AWS::EC2::Volume", Set.of("AvailabilityZone", "Encrypted", "KmsKeyId", "SnapshotId", "OutpostArn"),
            "AWS::EC2::Instance", Set.of("AvailabilityZone", "ImageId", "SubnetId", "NetworkInterfaces", "KeyName",
                    "PrivateIpAddress", "Tenancy", "CpuOptions", "HibernationOptions", "LaunchTemplate",
                    "PlacementGroupName", "EnclaveOptions", "ElasticGpuSpecifications", "SecurityGroups"),
            "AWS::RDS::DBInstance", Set.of("DBInstanceIdentifier", "DBName", "StorageEncrypted", "KmsKeyId",
                    "CharacterSetName", "DBClusterIdentifier", "SourceDBInstanceIdentifier", "DBSnapshotIdentifier"),
            "AWS::RDS::DBCluster", Set.of("DBClusterIdentifier", "DatabaseName", "StorageEncrypted", "KmsKeyId",
                    "EngineMode", "SnapshotIdentifier"),
            "AWS::SecretsManager::Secret", Set.of("Name"),
            "AWS::KMS::Key", Set.of("KeySpec", "KeyUsage", "MultiRegion"));

    /** One destructive change. */
    public record Finding(String stack, String logicalId, String type, String change) {
        @Override
        public String toString() {
            return stack + "/" + logicalId + " (" + type + "): " + change;
        }
    }

    private DestructiveChangeGate() {
    }

    /**
     * @param baseline  stack name to template of the release
     * @param candidate stack name to template of the new synthesis
     */
    public static List<Finding> compare(Map<String, JsonNode> baseline, Map<String, JsonNode> candidate) {
        List<Finding> findings = new ArrayList<>();
        baseline.forEach((stack, before) -> {
            JsonNode after = candidate.get(stack);
            Iterator<Map.Entry<String, JsonNode>> resources = before.path("Resources").fields();
            while (resources.hasNext()) {
                Map.Entry<String, JsonNode> entry = resources.next();
                String id = entry.getKey();
                String type = entry.getValue().path("Type").asText();
                if (!REPLACING_PROPERTIES.containsKey(type)) {
                    continue;
                }
                boolean retained = "Retain".equals(entry.getValue().path("DeletionPolicy").asText());
                String removal = retained ? "removed from the stack: CloudFormation orphans it (DeletionPolicy Retain)"
                        : "would be DELETED";
                if (after == null) {
                    findings.add(new Finding(stack, id, type, "its stack is gone; the resource " + removal));
                    continue;
                }
                JsonNode next = after.path("Resources").path(id);
                if (next.isMissingNode()) {
                    findings.add(new Finding(stack, id, type, "logical id no longer in the template (renamed or removed "
                            + "construct); " + removal + (retained ? "" : ", and any new resource is a replacement")));
                } else if (!type.equals(next.path("Type").asText())) {
                    findings.add(new Finding(stack, id, type, "type changes to " + next.path("Type").asText() + ": replaced"));
                } else {
                    for (String property : REPLACING_PROPERTIES.get(type)) {
                        JsonNode was = entry.getValue().path("Properties").path(property);
                        JsonNode is = next.path("Properties").path(property);
                        if (!was.equals(is)) {
                            findings.add(new Finding(stack, id, type, "would be REPLACED: " + property + " changes from "
                                    + abbreviate(was) + " to " + abbreviate(is)));
                        }
                    }
                }
            }
        });
        return findings;
    }

    private static String abbreviate(JsonNode node) {
        String text = node.isMissingNode() ? "(unset)" : node.toString();
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}

package io.dataplatform.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataplatform.scheduler.AirflowRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The destructive-change gate. What CloudFormation would do to each resource comes from
 * {@code @aws-cdk/cloudformation-diff}, the engine behind {@code cdk diff} (run by
 * {@code bin/classify-changes.mjs}, pinned in package.json), so the gate and what a reviewer sees in
 * {@code cdk diff} agree by construction. This class holds only the policy: which resources lose
 * data when replaced or removed (the gate fails), which are disruptive but safe (reported), and the
 * rest (ignored). Works offline on template JSON; no AWS account needed.
 */
public final class DestructiveChangeGate {
    /** Types whose replacement or removal loses data: the gate fails on them. */
    static final Set<String> STATEFUL = Set.of(
            "AWS::S3::Bucket", "AWS::EC2::Volume", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster",
            "AWS::SecretsManager::Secret", "AWS::KMS::Key", "AWS::Logs::LogGroup");

    /**
     * Types whose replacement interrupts service but loses no data: reported, not failing. An
     * {@code AWS::EC2::Instance} is stateful when it is the Airflow instance (its role tag),
     * disruptive otherwise (the NAT instance).
     */
    static final Set<String> DISRUPTIVE = Set.of(
            "AWS::EC2::Instance", "AWS::EC2::SecurityGroup", "AWS::EC2::NatGateway", "AWS::EC2::EIP",
            "AWS::EC2::Subnet", "AWS::EC2::VPC", "AWS::RDS::DBSubnetGroup");

    /** The engine's impacts that destroy the resource in place (replacement, deletion, orphaning). */
    static final Set<String> DESTRUCTIVE_IMPACTS = Set.of("WILL_REPLACE", "MAY_REPLACE", "WILL_DESTROY", "WILL_ORPHAN");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One destructive change. */
    public record Finding(String stack, String logicalId, String type, String change) {
        @Override
        public String toString() {
            return stack + "/" + logicalId + " (" + type + "): " + change;
        }
    }

    /** What the gate fails on, and what it only reports. */
    public record Judgement(List<Finding> failing, List<Finding> reported) {
    }

    private DestructiveChangeGate() {
    }

    /** The changes that fail the gate (data-holding resources replaced or removed). */
    public static List<Finding> compare(Map<String, JsonNode> baseline, Map<String, JsonNode> candidate) {
        return judge(baseline, candidate).failing();
    }

    /**
     * @param baseline  stack name to template of the release
     * @param candidate stack name to template of the new synthesis
     */
    public static Judgement judge(Map<String, JsonNode> baseline, Map<String, JsonNode> candidate) {
        List<Finding> failing = new ArrayList<>();
        List<Finding> reported = new ArrayList<>();
        for (JsonNode change : classify(baseline, candidate)) {
            String impact = change.path("impact").asText();
            if (!DESTRUCTIVE_IMPACTS.contains(impact)) {
                continue;
            }
            String stack = change.path("stack").asText();
            String id = change.path("logicalId").asText();
            String type = change.path("oldType").isTextual() ? change.path("oldType").asText() : change.path("type").asText();
            JsonNode before = baseline.get(stack).path("Resources").path(id);
            Finding finding = new Finding(stack, id, type, describe(change, impact, type, before, candidate.containsKey(stack)));
            if (STATEFUL.contains(type) || isAirflowInstance(type, before)) {
                failing.add(finding);
            } else if (DISRUPTIVE.contains(type)) {
                reported.add(finding);
            }
        }
        return new Judgement(List.copyOf(failing), List.copyOf(reported));
    }

    private static boolean isAirflowInstance(String type, JsonNode resource) {
        if (!"AWS::EC2::Instance".equals(type)) {
            return false;
        }
        for (JsonNode tag : resource.path("Properties").path("Tags")) {
            if (AirflowRole.INSTANCE_ROLE_TAG.equals(tag.path("Key").asText()) && AirflowRole.INSTANCE_ROLE_VALUE.equals(tag.path("Value").asText())) {
                return true;
            }
        }
        return false;
    }

    private static String describe(JsonNode change, String impact, String type, JsonNode before, boolean stackKept) {
        String retained = "removed from the stack: CloudFormation orphans it (DeletionPolicy Retain)";
        switch (impact) {
            case "WILL_DESTROY", "WILL_ORPHAN" -> {
                String removal = "WILL_ORPHAN".equals(impact) ? retained : "would be DELETED";
                if (!stackKept) {
                    return "its stack is gone; the resource " + removal;
                }
                return "logical id no longer in the template (renamed or removed construct); " + removal
                        + ("WILL_ORPHAN".equals(impact) ? "" : ", and any new resource is a replacement");
            }
            default -> {
                String newType = change.path("type").asText();
                if (!type.equals(newType)) {
                    return "type changes to " + newType + ": replaced";
                }
                List<String> reasons = new ArrayList<>();
                for (JsonNode property : change.path("properties")) {
                    if (DESTRUCTIVE_IMPACTS.contains(property.path("impact").asText())) {
                        reasons.add(property.path("name").asText() + " changes from " + abbreviate(property.path("old"))
                                + " to " + abbreviate(property.path("new")));
                    }
                }
                String verb = "MAY_REPLACE".equals(impact) ? "may be REPLACED" : "would be REPLACED";
                return verb + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons));
            }
        }
    }

    /** Every resource change, as {@code bin/classify-changes.mjs} (the cdk diff engine) sees it. */
    static List<JsonNode> classify(Map<String, JsonNode> baseline, Map<String, JsonNode> candidate) {
        ObjectNode input = JSON.createObjectNode();
        for (String stack : new TreeSet<>(baseline.keySet())) {
            ObjectNode pair = input.putObject(stack);
            pair.set("before", baseline.get(stack));
            pair.set("after", candidate.get(stack));
        }
        for (String stack : new TreeSet<>(candidate.keySet())) {
            if (!baseline.containsKey(stack)) {
                ObjectNode pair = input.putObject(stack);
                pair.putNull("before");
                pair.set("after", candidate.get(stack));
            }
        }
        try {
            String answer = Engine.INSTANCE.ask(JSON.writeValueAsString(input));
            List<JsonNode> changes = new ArrayList<>();
            JSON.readTree(answer).forEach(changes::add);
            return changes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run node bin/classify-changes.mjs", e);
        }
    }

    /**
     * One {@code node bin/classify-changes.mjs --lines} per JVM, started on first use: loading the
     * engine (the CloudFormation schemas) takes most of a second, a question then takes milliseconds.
     */
    private static final class Engine {
        static final Engine INSTANCE = new Engine();
        private Process process;
        private java.io.BufferedWriter requests;
        private java.io.BufferedReader answers;

        synchronized String ask(String request) throws IOException {
            if (process == null || !process.isAlive()) {
                Path script = projectRoot().resolve("bin/classify-changes.mjs");
                process = new ProcessBuilder("node", script.toString(), "--lines")
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                requests = new java.io.BufferedWriter(new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
                answers = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Process started = process;
                Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "classify-changes-stop"));
            }
            requests.write(request);
            requests.newLine();
            requests.flush();
            String answer = answers.readLine();
            if (answer == null) {
                process.destroyForcibly();
                throw new IOException("bin/classify-changes.mjs stopped without an answer (is `npm ci` done?)");
            }
            return answer;
        }
    }

    private static Path projectRoot() {
        Path root = Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("bin/classify-changes.mjs"))) {
            throw new IllegalStateException("bin/classify-changes.mjs not found under " + root
                    + " (run from the project directory or set -Dproject.root)");
        }
        return root;
    }

    private static String abbreviate(JsonNode node) {
        String text = node.isMissingNode() || node.isNull() ? "(unset)" : node.toString();
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}

package io.dataplatform.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code bin/change-gate} runs this: compares two directories of {@code *.template.json}, reports
 * disruptive changes, and exits 1 when a stateful resource would be replaced or deleted, unless
 * {@code --approve} is given.
 */
public final class ChangeGateCli {
    private static final String SUFFIX = ".template.json";

    private ChangeGateCli() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3 || (args.length == 3 && !"--approve".equals(args[2]))) {
            System.err.println("usage: ChangeGateCli BASELINE_DIR CANDIDATE_DIR [--approve]");
            System.exit(2);
        }
        DestructiveChangeGate.Judgement judgement = DestructiveChangeGate.judge(read(Path.of(args[0])), read(Path.of(args[1])));
        List<DestructiveChangeGate.Finding> findings = judgement.failing();
        boolean approved = args.length == 3;
        if (!judgement.reported().isEmpty()) {
            System.out.println("change gate: " + judgement.reported().size() + " disruptive change(s) without data loss "
                    + "(reported, not failing; check them in cdk diff):");
            judgement.reported().forEach(f -> System.out.println("  - " + f));
        }
        if (findings.isEmpty()) {
            System.out.println("change gate: no stateful resource is replaced or deleted (" + args[1] + " vs " + args[0] + ")");
            return;
        }
        System.out.println("change gate: " + findings.size() + " destructive change(s) to stateful resources:");
        findings.forEach(f -> System.out.println("  - " + f));
        if (approved) {
            System.out.println("change gate: approved explicitly (--approve); not failing");
            return;
        }
        System.out.println("change gate: FAILED. If this is intended, get the change approved (see README, Delivery).");
        System.exit(1);
    }

    static Map<String, JsonNode> read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no template directory " + dir);
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> templates = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                String name = file.getFileName().toString();
                templates.put(name.substring(0, name.length() - SUFFIX.length()), json.readTree(file.toFile()));
            }
        }
        return templates;
    }
}

package io.dataplatform.iam;

import static io.dataplatform.support.Json.list;
import static io.dataplatform.support.Json.map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.support.CdkJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code test/iam/evaluate.mjs}: AWS's Service Authorization Reference as data and a real IAM
 * policy evaluator (the npm packages pinned in package.json), one Node process for a whole batch.
 */
public final class IamJudge {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path SCRIPT = Path.of("test/iam/evaluate.mjs");

    private IamJudge() {
    }

    /** One simulated request and its answer. */
    public record Result(String id, String decision, String error, List<String> responsible) {
    }

    /** The judge's answers and the versions of its data and evaluator. */
    public record Answer(Map<String, String> versions, Map<String, Result> cases, Map<String, List<String>> lint) {
    }

    /**
     * @param cases requests, each {@code id, identityPolicies, resourcePolicy?, principal, action, resource,
     *              accountId, context, unvalidatedContext?}
     * @param lint  policies to check, each {@code id, kind ("identity" | "resource"), policy}
     */
    public static Answer run(List<Map<String, Object>> cases, List<Map<String, Object>> lint) {
        Path root = CdkJson.projectRoot();
        if (!Files.isDirectory(root.resolve("node_modules/@cloud-copilot/iam-simulate"))) {
            throw new IllegalStateException("The IAM judge is not installed: run `npm ci` first (README, The two commands).");
        }
        try {
            Path request = Files.createTempFile("iam-judge", ".json");
            try {
                JSON.writeValue(request.toFile(), Map.of("cases", cases, "lint", lint));
                Process node = new ProcessBuilder("node", SCRIPT.toString(), request.toString())
                        .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
                byte[] out = node.getInputStream().readAllBytes();
                String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!node.waitFor(120, TimeUnit.SECONDS) || node.exitValue() != 0) {
                    throw new IllegalStateException("node " + SCRIPT + " failed: " + err);
                }
                Map<String, Object> answer = map(JSON.readValue(out, Map.class));
                Map<String, Result> results = new LinkedHashMap<>();
                for (Object raw : list(answer.get("cases"))) {
                    Map<String, Object> r = map(raw);
                    List<String> responsible = new ArrayList<>();
                    list(r.get("responsible")).forEach(x -> responsible.add(String.valueOf(x)));
                    results.put(String.valueOf(r.get("id")), new Result(String.valueOf(r.get("id")), String.valueOf(r.get("decision")),
                            r.get("error") == null ? null : String.valueOf(r.get("error")), responsible));
                }
                Map<String, List<String>> problems = new LinkedHashMap<>();
                for (Object raw : list(answer.get("lint"))) {
                    Map<String, Object> l = map(raw);
                    List<String> found = new ArrayList<>();
                    list(l.get("problems")).forEach(x -> found.add(String.valueOf(x)));
                    problems.put(String.valueOf(l.get("id")), found);
                }
                Map<String, String> versions = new LinkedHashMap<>();
                map(answer.get("versions")).forEach((k, v) -> versions.put(k, String.valueOf(v)));
                return new Answer(versions, results, problems);
            } finally {
                Files.deleteIfExists(request);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

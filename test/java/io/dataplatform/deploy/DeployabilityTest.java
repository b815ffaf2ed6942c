package io.dataplatform.deploy;

import static io.dataplatform.support.Json.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.config.SupportedRegions;
import io.dataplatform.core.PlatformStack;
import io.dataplatform.support.CdkJson;
import io.dataplatform.support.Fixture;
import io.dataplatform.support.Python;
import io.dataplatform.support.Synth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Would the first deploy succeed? Every template of every shipped environment, and the delivery stack,
 * judged by AWS's own rules (test/judges/deployability.py, in the pinned judges of
 * test/judges/requirements.txt):
 * <ul>
 *   <li>cfn-lint, with CloudFormation's resource schemas of each region: the environment's region, or
 *       every {@link SupportedRegions supported region} for an environment without one;</li>
 *   <li>botocore's service models: the literal properties of every resource, as the request(s)
 *       CloudFormation makes of the service (test/judges/service_models.py, TABLE).</li>
 * </ul>
 * The two summary lines (templates × regions, resources × requests × values) are printed and are the
 * names of the first two tests in the report.
 */
class DeployabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = CdkJson.projectRoot().resolve("target/judges");
    private static Python.Run run;
    private static int templates;
    private static Map<String, Object> results;

    @BeforeAll
    static void judgeEveryTemplate() throws IOException, InterruptedException {
        Files.createDirectories(DIR);
        List<Map<String, Object>> manifest = new ArrayList<>();
        for (String env : List.of("dev", "prod")) {
            Synth.Synthesized synthesized = Synth.shipped(env);
            for (PlatformStack stack : synthesized.platform().stacks()) {
                manifest.add(entry(env, stack, synthesized));
            }
        }
        Synth.Synthesized withDelivery = Synth.of(with(Fixture.platform(), "delivery",
                Map.of("githubRepository", "acme/data-platform")), "dev");
        manifest.add(entry("dev", withDelivery.platform().delivery().orElseThrow(), withDelivery));
        templates = manifest.size();
        Path manifestFile = DIR.resolve("manifest.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(manifestFile.toFile(), Map.of("templates", manifest));
        Path resultsFile = DIR.resolve("results.json");
        Files.deleteIfExists(resultsFile);
        run = Python.run(600, "test/judges/deployability.py", "--manifest", manifestFile.toString(),
                "--results", resultsFile.toString());
        System.out.println(run.output());
        assertThat(run.exitValue()).as(run.output()).isIn(0, 1);
        results = JSON.readValue(resultsFile.toFile(), new TypeReference<>() { });
    }

    private static Map<String, Object> entry(String env, PlatformStack stack, Synth.Synthesized synthesized)
            throws IOException {
        String name = env + "/" + stack.getStackName();
        Path file = DIR.resolve(stack.getStackName() + ".template.json");
        JSON.writeValue(file.toFile(), synthesized.assembly().getStackByName(stack.getStackName()).getTemplate());
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("path", file.toString());
        entry.put("stack", stack.getStackName());
        entry.put("regions", synthesized.config().region().map(List::of).orElse(SupportedRegions.NAMES));
        return entry;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> judged(String judge) {
        return (List<Map<String, Object>>) results.get(judge);
    }

    @SuppressWarnings("unchecked")
    private static List<String> summary() {
        return (List<String>) results.get("summary");
    }

    @TestFactory
    Stream<DynamicTest> cfnLintFindsNothingUnacceptedInAnyTemplateInAnyRegion() {
        return Stream.concat(Stream.of(DynamicTest.dynamicTest(summary().get(0), () ->
                        assertThat(judged("cfnLint")).hasSize(templates))),
                judged("cfnLint").stream().map(r -> DynamicTest.dynamicTest(r.get("name") + " in " + r.get("regions"),
                        () -> assertThat((List<?>) r.get("problems")).as("cfn-lint findings without an accepted reason "
                                + "(fix them, or add one entry to cfn_lint_judge.ACCEPTED with its reason)").isEmpty())));
    }

    @TestFactory
    Stream<DynamicTest> theServiceModelsAcceptEveryResourceOfEveryTemplate() {
        return Stream.concat(Stream.of(DynamicTest.dynamicTest(summary().get(1), () ->
                        assertThat(judged("serviceModels")).allSatisfy(r -> assertThat((Integer) r.get("judged")).isPositive()))),
                judged("serviceModels").stream().map(r -> DynamicTest.dynamicTest(r.get("name") + ": " + r.get("resources")
                        + " resources, " + r.get("calls") + " requests, " + r.get("judged") + " values", () ->
                        assertThat((List<?>) r.get("problems")).as("requests botocore's service models reject").isEmpty())));
    }

    @Test
    void everyShippedEnvironmentWithoutARegionIsJudgedInEverySupportedRegion() {
        assertThat(judged("cfnLint")).filteredOn(r -> r.get("name").toString().startsWith("prod/"))
                .allSatisfy(r -> assertThat(r.get("regions")).isEqualTo(SupportedRegions.NAMES));
        assertThat(SupportedRegions.NAMES).contains("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1",
                "ap-southeast-2", "sa-east-1");
    }

    @Test
    void theReadmeListsExactlyTheJudgedRegions() throws IOException {
        String readme = Files.readString(CdkJson.projectRoot().resolve("README.md")).replaceAll("\\s+", " ");
        assertThat(readme).contains("**Supported regions**: " + String.join(", ", SupportedRegions.NAMES) + " (");
    }

    @Test
    void eachJudgeFailsATemplateWithAKnownBadValue() throws IOException, InterruptedException {
        Python.Run selfTest = Python.run(300, "test/judges/test_judges.py");
        assertThat(selfTest.output()).as(selfTest.output()).containsPattern("Ran (1[3-9]|[2-9]\\d) tests");
        assertThat(selfTest.exitValue()).as(selfTest.output()).isZero();
    }
}

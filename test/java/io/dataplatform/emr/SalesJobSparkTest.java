package io.dataplatform.emr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.dataplatform.support.CdkJson;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs {@link SalesJobOnSpark} (the sample job's SQL on Apache Spark in local mode) in a JVM of its
 * own, alongside the synthesis tests, one JUnit test per scenario. A separate JVM because Spark
 * needs Jackson's Scala module, and jsii, in this JVM, registers every Jackson module it finds.
 */
@Execution(ExecutionMode.CONCURRENT)
class SalesJobSparkTest {
    /** Spark on Java 17 needs these JDK internals open, as spark-submit opens them. */
    private static final List<String> ADD_OPENS = List.of("java.lang", "java.lang.invoke", "java.nio", "sun.nio.ch",
            "java.util", "sun.util.calendar");

    @TestFactory
    List<DynamicTest> theSampleJobOnApacheSpark() throws IOException, InterruptedException {
        String scalaModule = System.getProperty("spark.scala.module");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        assertThat(scalaModule).as("spark.scala.module (set by the pom's surefire configuration)").isNotBlank();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        ADD_OPENS.forEach(p -> command.add("--add-opens=java.base/" + p + "=ALL-UNNAMED"));
        command.addAll(List.of("-Xmx2g", "-XX:TieredStopAtLevel=1", "-cp", classpath + File.pathSeparator + scalaModule, SalesJobSparkTest.class.getName()));
        Process jvm = new ProcessBuilder(command).directory(CdkJson.projectRoot().toFile()).redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(5, TimeUnit.MINUTES)).as("the Spark JVM finished").isTrue();

        // "ok <name>" or "not ok <name>" followed by the failure, as main() prints them.
        Map<String, String> failures = new LinkedHashMap<>();
        String current = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("ok ")) {
                failures.put(line.substring(3), null);
                current = null;
            } else if (line.startsWith("not ok ")) {
                current = line.substring(7);
                failures.put(current, "");
            } else if (current != null) {
                failures.put(current, failures.get(current) + line + "\n");
            }
        }
        assertThat(failures).as("scenarios reported by the Spark JVM:\n" + output).hasSizeGreaterThanOrEqualTo(8);
        List<DynamicTest> tests = new ArrayList<>();
        failures.forEach((name, failure) -> tests.add(DynamicTest.dynamicTest(name,
                () -> assertThat(failure).as(name + " failed on Spark:\n" + failure).isNull())));
        tests.add(DynamicTest.dynamicTest("the Spark JVM exits cleanly", () -> assertThat(jvm.exitValue()).as(output).isZero()));
        return tests;
    }

    /** The Spark JVM: runs {@link SalesJobOnSpark} and prints one line per test, then the failure. */
    public static void main(String[] args) {
        PrintStream out = System.out;
        List<String> failed = new ArrayList<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(SalesJobOnSpark.class)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        if (test.isTest()) {
                            if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                                out.println("ok " + test.getDisplayName());
                            } else {
                                failed.add(test.getDisplayName());
                                StringWriter trace = new StringWriter();
                                result.getThrowable().ifPresent(t -> t.printStackTrace(new PrintWriter(trace)));
                                out.println("not ok " + test.getDisplayName());
                                out.println(trace.toString().replace("\nok ", "\n ok ").replace("\nnot ok ", "\n not ok "));
                            }
                        }
                    }
                });
        out.flush();
        System.exit(failed.isEmpty() ? 0 : 1);
    }
}

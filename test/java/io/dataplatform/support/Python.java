package io.dataplatform.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Python the test suites run in: {@code DATAPLATFORM_PYTHON} when set, else the {@code python3}
 * on the PATH (on this machine kind it has the pinned judges, test/judges/requirements.txt).
 */
public final class Python {

    private Python() {
    }

    public static String executable() {
        String configured = System.getenv("DATAPLATFORM_PYTHON");
        return configured == null || configured.isBlank() ? "python3" : configured;
    }

    /** The result of one finished run: exit status and stdout with stderr. */
    public record Run(int exitValue, String output) {
    }

    /** Runs a script of the project (path relative to the project root) and waits at most {@code timeoutSeconds}. */
    public static Run run(long timeoutSeconds, String script, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable(), script));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("python-run", ".txt");
        try {
            Process python = new ProcessBuilder(command).directory(CdkJson.projectRoot().toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!python.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                python.descendants().forEach(ProcessHandle::destroyForcibly);
                python.destroyForcibly();
                throw new IllegalStateException(script + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Run(python.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}

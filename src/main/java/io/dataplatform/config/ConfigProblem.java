package io.dataplatform.config;

/** One invalid configuration value: the full key path and what is wrong with it. */
public record ConfigProblem(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}

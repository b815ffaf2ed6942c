package io.dataplatform.guard;

import java.time.Duration;
import java.util.Map;

/**
 * What the guard enforces, from the function's environment (set by the monitoring stack).
 *
 * @param project      value of the Project tag a cluster must carry to be guarded
 * @param environment  value of the Environment tag a cluster must carry to be guarded
 * @param maxIdle      terminate a WAITING cluster with no active step idle longer than this
 * @param maxAge       terminate any guarded cluster older than this
 * @param dryRun       report what would be terminated, terminate nothing
 * @param topicArn     SNS topic for the summary
 * @param namespace    CloudWatch namespace of the ClustersTerminated metric
 */
public record GuardSettings(String project, String environment, Duration maxIdle, Duration maxAge, boolean dryRun,
                            String topicArn, String namespace) {
    public static final String KEEP_ALIVE_TAG = "keep-alive";
    /** The tags that make a cluster the platform's: the same keys as the stacks' tags and the EMR alarms' filter. */
    public static final String PROJECT_TAG = "Project";
    public static final String ENVIRONMENT_TAG = "Environment";

    public static GuardSettings fromEnvironment(Map<String, String> env) {
        return new GuardSettings(required(env, "PROJECT"), required(env, "ENVIRONMENT"),
                Duration.ofMinutes(Long.parseLong(required(env, "MAX_IDLE_MINUTES"))),
                Duration.ofHours(Long.parseLong(required(env, "MAX_AGE_HOURS"))),
                Boolean.parseBoolean(env.getOrDefault("DRY_RUN", "false")),
                required(env, "TOPIC_ARN"), required(env, "METRIC_NAMESPACE"));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }
}

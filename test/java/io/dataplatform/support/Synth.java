package io.dataplatform.support;

import io.dataplatform.Platform;
import io.dataplatform.config.ConfigLoader;
import io.dataplatform.config.PlatformConfig;
import io.dataplatform.core.NagChecks;
import io.dataplatform.core.PlatformStack;
import io.dataplatform.core.StackKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes an environment exactly as {@code cdk synth -c env=NAME} does: same cdk.json
 * context, same validation (cdk-nag and CloudFormation rules as errors). Shipped environments
 * are synthesized once per test JVM and shared.
 */
public final class Synth {
    private static final Map<String, Synthesized> SHIPPED = new ConcurrentHashMap<>();

    private Synth() {
    }

    private static final Map<String, Synthesized> FIXTURE = new ConcurrentHashMap<>();

    /** A shipped environment (dev, prod) of cdk.json, synthesized once and cached: for snapshots and shipped-config checks. */
    public static Synthesized shipped(String env) {
        return SHIPPED.computeIfAbsent(env, name -> of(CdkJson.platform(), name));
    }

    /**
     * An environment (dev, prod) of the behaviour-test fixture ({@link Fixture}), synthesized once and cached.
     * While the fixture equals the shipped configuration the shipped synthesis is reused (no extra synth).
     */
    public static Synthesized fixture(String env) {
        if (FixtureIsShipped.VALUE) {
            return shipped(env);
        }
        return FIXTURE.computeIfAbsent(env, name -> of(Fixture.platform(), name));
    }

    /** Whether the fixture equals the shipped configuration, decided once. */
    private static final class FixtureIsShipped {
        static final boolean VALUE = Fixture.platform().equals(CdkJson.platform());
    }

    /**
     * Any configuration: {@code platform} is the cdk.json {@code platform} object (tests change a
     * copy of it). Synthesis fails with the validation report when cdk-nag or CloudFormation
     * rules find a problem.
     */
    public static Synthesized of(Map<String, Object> platform, String env) {
        Map<String, Object> context = new LinkedHashMap<>(CdkJson.context());
        context.put(ConfigLoader.CONTEXT_KEY, platform);
        context.put(ConfigLoader.ENV_CONTEXT_KEY, env);
        // Report validation failures inside the exception instead of only on stderr.
        context.put("@aws-cdk/core:appMode", "inmemory");
        App app = new App(AppProps.builder().context(context).build());
        PlatformConfig config = ConfigLoader.load(platform, env, Map.of());
        NagChecks.enable(app);
        Platform platformStacks = Platform.build(app, config);
        // Templates come from this one synthesis: Template.fromStack would synthesize the app again.
        CloudAssembly assembly = app.synth();
        Map<String, Template> templates = new LinkedHashMap<>();
        for (PlatformStack stack : platformStacks.stacks()) {
            templates.put(stack.kind().key(), template(assembly, stack));
        }
        return new Synthesized(config, platformStacks, assembly, templates);
    }

    @SuppressWarnings("unchecked")
    static Template template(CloudAssembly assembly, Stack stack) {
        return Template.fromJSON((Map<String, Object>) assembly.getStackByName(stack.getStackName()).getTemplate());
    }

    /** The result of one synthesis; {@code templatesByStack} in deployment order, keyed by stack kind. */
    public record Synthesized(PlatformConfig config, Platform platform, CloudAssembly assembly,
                              Map<String, Template> templatesByStack) {

        public Template network() {
            return templatesByStack.get(StackKind.NETWORK.key());
        }

        public Template dataLake() {
            return templatesByStack.get(StackKind.DATALAKE.key());
        }

        public Template emr() {
            return templatesByStack.get(StackKind.EMR.key());
        }

        public Template query() {
            return templatesByStack.get(StackKind.QUERY.key());
        }

        public Template scheduler() {
            return templatesByStack.get(StackKind.SCHEDULER.key());
        }

        public Template monitoring() {
            return templatesByStack.get(StackKind.MONITORING.key());
        }

        /** The template of any stack of this synthesis. */
        public Template template(Stack stack) {
            return Synth.template(assembly, stack);
        }
    }
}

package io.dataplatform;

import io.dataplatform.config.CliContext;
import io.dataplatform.config.ConfigException;
import io.dataplatform.config.ConfigLoader;
import io.dataplatform.config.PlatformConfig;
import io.dataplatform.core.NagChecks;
import io.dataplatform.monitoring.ClusterGuardFunction;
import software.amazon.awscdk.App;

/** The CDK app: read and validate config, then build the stacks of the selected environment. */
public final class DataPlatformApp {
    private DataPlatformApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        PlatformConfig config;
        try {
            // The platform object straight from the CLI's JSON: nulls in it mean something (README).
            Object platform = CliContext.value(System.getenv(), ConfigLoader.CONTEXT_KEY)
                    .orElseGet(() -> app.getNode().tryGetContext(ConfigLoader.CONTEXT_KEY));
            config = ConfigLoader.load(platform, app.getNode().tryGetContext(ConfigLoader.ENV_CONTEXT_KEY), System.getenv());
        } catch (ConfigException e) {
            // Nothing is synthesized from invalid config: report every problem, no stack trace.
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        NagChecks.enable(app);
        try {
            Platform.build(app, config);
        } catch (ClusterGuardFunction.MissingArtifactException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        app.synth();
    }
}

package io.dataplatform.core;

import io.dataplatform.config.PlatformConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.TagProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

/**
 * Base of every platform stack: its name, target environment, description and tags come from
 * here and nowhere else.
 */
public abstract class PlatformStack extends Stack {
    public static final String TAG_PROJECT = "Project";
    public static final String TAG_ENVIRONMENT = "Environment";

    private final PlatformConfig config;
    private final Naming naming;
    private final StackKind kind;

    protected PlatformStack(Construct scope, StackKind kind, PlatformConfig config) {
        super(scope, new Naming(config).stackName(kind), StackProps.builder()
                .stackName(new Naming(config).stackName(kind))
                .env(environment(config))
                .description(config.project() + " " + config.envName() + ": " + kind.description())
                // Production stacks cannot be deleted by accident (cdk destroy, console).
                .terminationProtection(config.production())
                .build());
        this.config = config;
        this.naming = new Naming(config);
        this.kind = kind;
        TagProps everywhereTheyDeploy = TagProps.builder().excludeResourceTypes(UNTAGGED_TYPES).build();
        standardTags(config).forEach((key, value) -> Tags.of(this).add(key, value, everywhereTheyDeploy));
    }

    /**
     * Resource types that take Tags in some regions only: CloudFormation's schema of
     * AWS::CloudWatch::Dashboard has no Tags in us-east-1 (cfn-lint E3002; test/judges), so a tagged
     * dashboard fails to create there. Dashboards are left untagged in every region.
     */
    public static final List<String> UNTAGGED_TYPES = List.of("AWS::CloudWatch::Dashboard");

    /** Project, Environment and the configured extra tags, applied to every taggable resource. */
    public static Map<String, String> standardTags(PlatformConfig config) {
        Map<String, String> tags = new TreeMap<>(config.extraTags());
        tags.put(TAG_PROJECT, config.project());
        tags.put(TAG_ENVIRONMENT, config.envName());
        return tags;
    }

    /** Tags the raw CfnResources Tags.of() cannot reach; call once the stack's constructs exist. */
    public void tagRawResources() {
        TagRawResources tagger = new TagRawResources(standardTags(config));
        getNode().findAll().forEach(tagger::visit);
    }

    private static Environment environment(PlatformConfig config) {
        Environment.Builder env = Environment.builder();
        config.account().ifPresent(env::account);
        config.region().ifPresent(env::region);
        return env.build();
    }

    /** A stack output with a description (shown by {@code aws cloudformation describe-stacks}). */
    protected void output(String id, String value, String description) {
        new CfnOutput(this, id, CfnOutputProps.builder().value(value).description(description).build());
    }

    public StackKind kind() {
        return kind;
    }

    public PlatformConfig config() {
        return config;
    }

    public Naming naming() {
        return naming;
    }
}

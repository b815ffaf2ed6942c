package io.dataplatform;

import static io.dataplatform.support.Json.map;
import static io.dataplatform.support.Json.properties;
import static io.dataplatform.support.Json.resources;
import static io.dataplatform.support.Json.tags;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.core.PlatformStack;
import io.dataplatform.support.Synth;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaggingTest {
    /** Resource types in our stacks that take tags; each must carry the platform's tags. */
    private static final Set<String> TAGGABLE = Set.of("AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::RouteTable",
            "AWS::EC2::InternetGateway", "AWS::EC2::SecurityGroup", "AWS::EC2::Instance", "AWS::EC2::NatGateway",
            "AWS::EC2::EIP", "AWS::EC2::FlowLog", "AWS::Logs::LogGroup", "AWS::IAM::Role", "AWS::S3::Bucket",
            "AWS::Lambda::Function");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyTaggableResourceCarriesProjectEnvironmentAndExtraTags(String env) {
        Synth.Synthesized synthesized = Synth.fixture(env);
        Map<String, String> expected = Map.of("Project", "dataplat", "Environment", env,
                "CostCenter", synthesized.config().extraTags().get("CostCenter"));
        int checked = 0;
        for (var template : synthesized.templatesByStack().values()) {
            for (var entry : map(template.toJSON().get("Resources")).entrySet()) {
                Map<String, Object> resource = map(entry.getValue());
                if (TAGGABLE.contains(String.valueOf(resource.get("Type"))) || properties(resource).containsKey("Tags")) {
                    assertThat(tags(resource)).as(entry.getKey()).containsAllEntriesOf(expected);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void typesThatTakeNoTagsInSomeSupportedRegionCarryNone(String env) {
        var dashboards = resources(Synth.fixture(env).monitoring(), "AWS::CloudWatch::Dashboard");
        assertThat(dashboards).isNotEmpty();
        assertThat(dashboards.values()).allSatisfy(d -> assertThat(properties(map(d))).doesNotContainKey("Tags"));
        assertThat(PlatformStack.UNTAGGED_TYPES).containsExactly("AWS::CloudWatch::Dashboard");
    }
}

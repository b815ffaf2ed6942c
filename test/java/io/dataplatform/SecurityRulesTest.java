package io.dataplatform;

import static io.dataplatform.support.Json.list;
import static io.dataplatform.support.Json.map;
import static io.dataplatform.support.Json.properties;
import static io.dataplatform.support.Json.resources;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.Synth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DESIGN.md safety rules that hold for every stack. */
class SecurityRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noSecurityGroupAdmitsTheWholeInternet(String env) {
        List<Map<String, Object>> ingress = new ArrayList<>();
        for (var template : Synth.fixture(env).templatesByStack().values()) {
            resources(template, "AWS::EC2::SecurityGroup").values().forEach(sg -> {
                Object rules = properties(sg).get("SecurityGroupIngress");
                if (rules != null) {
                    list(rules).forEach(r -> ingress.add(map(r)));
                }
            });
            resources(template, "AWS::EC2::SecurityGroupIngress").values().forEach(r -> ingress.add(properties(r)));
        }
        assertThat(ingress).allSatisfy(rule -> {
            assertThat(rule.get("CidrIp")).isNotEqualTo("0.0.0.0/0");
            assertThat(rule.get("CidrIpv6")).isNotEqualTo("::/0");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyInstanceRequiresImdsV2AndEncryptsItsVolumes(String env) {
        for (var template : Synth.fixture(env).templatesByStack().values()) {
            resources(template, "AWS::EC2::Instance").forEach((id, instance) -> {
                assertThat(properties(instance)).as(id).doesNotContainKey("KeyName");
                list(properties(instance).get("BlockDeviceMappings")).forEach(mapping ->
                        assertThat(map(map(mapping).get("Ebs")).get("Encrypted")).as(id).isEqualTo(true));
            });
            resources(template, "AWS::EC2::LaunchTemplate").forEach((id, lt) -> assertThat(
                    map(map(properties(lt).get("LaunchTemplateData")).get("MetadataOptions")).get("HttpTokens"))
                    .as(id).isEqualTo("required"));
        }
    }
}

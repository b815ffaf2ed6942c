package io.dataplatform.config;

import static io.dataplatform.support.Json.properties;
import static io.dataplatform.support.Json.resources;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.Synth;
import io.dataplatform.support.Synth.Synthesized;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Valid edge configurations: each is read through the CDK CLI's context path (JSON nulls kept),
 * synthesized with cdk-nag and CloudFormation validation on, and gives the output the README documents.
 */
class ValidEdgeConfigsTest {

    private record Edge(String name, String changes, Consumer<Synthesized> documented) {
    }

    private static Collection<Map<String, Object>> of(Synthesized s, String stack, String type) {
        return switch (stack) {
            case "network" -> resources(s.network(), type).values();
            case "datalake" -> resources(s.dataLake(), type).values();
            case "scheduler" -> resources(s.scheduler(), type).values();
            default -> throw new IllegalArgumentException(stack);
        };
    }

    private static String bucket(Synthesized s, String logicalIdPrefix) {
        return resources(s.dataLake(), "AWS::S3::Bucket").entrySet().stream()
                .filter(e -> e.getKey().startsWith(logicalIdPrefix)).map(e -> String.valueOf(properties(e.getValue())))
                .findFirst().orElseThrow();
    }

    private static final List<Edge> EDGES = List.of(
            new Edge("null switches raw's transitions off",
                    "dev.dataLake.buckets.raw.standardIaDays=null & dev.dataLake.buckets.raw.glacierIrDays=null",
                    s -> assertThat(bucket(s, "RawBucket")).doesNotContain("STANDARD_IA", "GLACIER_IR", "TransitionInDays")
                            .contains("NoncurrentVersionExpiration")),
            new Edge("another region", "dev.region=\"ap-southeast-2\"", s -> {
                assertThat(s.platform().network().getRegion()).isEqualTo("ap-southeast-2");
                assertThat(of(s, "network", "AWS::EC2::Subnet")).hasSize(4)
                        .allSatisfy(subnet -> assertThat(String.valueOf(properties(subnet).get("AvailabilityZone"))).contains("Fn::GetAZs"));
            }),
            new Edge("three named AZs", "dev.region=\"eu-west-1\" & dev.network.azCount=3 & "
                    + "dev.network.availabilityZones=[\"eu-west-1a\",\"eu-west-1b\",\"eu-west-1c\"]",
                    s -> assertThat(of(s, "network", "AWS::EC2::Subnet")).hasSize(6)
                            .extracting(subnet -> properties(subnet).get("AvailabilityZone"))
                            .containsOnly("eu-west-1a", "eu-west-1b", "eu-west-1c")),
            new Edge("Graviton g5g scheduler", "dev.scheduler.instanceType=\"g5g.xlarge\"", s -> {
                assertThat(of(s, "scheduler", "AWS::EC2::Instance")).singleElement()
                        .satisfies(i -> assertThat(properties(i).get("InstanceType")).isEqualTo("g5g.xlarge"));
                assertThat(s.scheduler().toJSON().toString()).contains("al2023-ami-kernel-default-arm64");
            }),
            new Edge("x86 scheduler", "dev.scheduler.instanceType=\"m7i.large\"", s -> {
                assertThat(s.scheduler().toJSON().toString()).contains("al2023-ami-kernel-default-x86_64")
                        .doesNotContain("al2023-ami-kernel-default-arm64");
            }),
            new Edge("RDS metadata database", "dev.scheduler.database=\"rds\" & dev.scheduler.rdsInstanceType=\"r6g.large\"",
                    s -> assertThat(of(s, "scheduler", "AWS::RDS::DBInstance")).singleElement().satisfies(db -> {
                        assertThat(properties(db).get("DBInstanceClass")).isEqualTo("db.r6g.large");
                        assertThat(properties(db).get("MultiAZ")).isEqualTo(false);
                    })),
            new Edge("Intelligent-Tiering on curated", "dev.dataLake.buckets.curated.intelligentTiering=true & "
                    + "dev.dataLake.buckets.curated.standardIaDays=null",
                    s -> assertThat(bucket(s, "CuratedBucket")).contains("INTELLIGENT_TIERING").doesNotContain("STANDARD_IA")),
            new Edge("NAT gateway in dev", "dev.network.natMode=\"gateway\" & dev.network.natCount=1", s -> {
                assertThat(of(s, "network", "AWS::EC2::NatGateway")).hasSize(1);
                assertThat(of(s, "network", "AWS::EC2::Instance")).isEmpty();
            }),
            new Edge("no off-hours schedule", "dev.scheduler.offHours.enabled=false",
                    s -> assertThat(of(s, "scheduler", "AWS::Scheduler::Schedule")).isEmpty()));

    @TestFactory
    Stream<DynamicTest> synthesizesWithTheDocumentedOutput() {
        assertThat(EDGES).hasSizeGreaterThanOrEqualTo(8);
        return EDGES.stream().map(edge -> DynamicTest.dynamicTest(edge.name(), () -> {
            Map<String, Object> platform = throughCliContext(edge.changes());
            edge.documented().accept(Synth.of(platform, "dev"));
        }));
    }

    private static Map<String, Object> throughCliContext(String changes) throws IOException {
        return ConfigTableTest.throughCliContext(ConfigTableTest.apply(changes));
    }
}

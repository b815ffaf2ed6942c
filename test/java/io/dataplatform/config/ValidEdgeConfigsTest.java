package io.dataplatform.config;

import static io.dataplatform.support.Json.properties;
import static io.dataplatform.support.Json.resources;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.support.Synth;
import io.dataplatform.support.Synth.Synthesized;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Valid edge configurations: each is read through the CDK CLI's context path (JSON nulls kept),
 * synthesized with cdk-nag and CloudFormation validation on, and gives the output the README documents.
 * Edges that change different keys share one synthesis (a group; each keeps its own test), so the
 * ten cost four syntheses.
 */
class ValidEdgeConfigsTest {

    /** @param group edges of one group are applied together and synthesized once */
    private record Edge(String name, int group, String changes, Consumer<Synthesized> documented) {
    }

    private static final Map<Integer, Synthesized> SYNTHESIZED = new ConcurrentHashMap<>();

    private static Synthesized synthesized(int group) {
        return SYNTHESIZED.computeIfAbsent(group, g -> {
            String changes = EDGES.stream().filter(e -> e.group() == g).map(Edge::changes).collect(Collectors.joining(" & "));
            try {
                return Synth.of(throughCliContext(changes), "dev");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Collection<Map<String, Object>> of(Synthesized s, String stack, String type) {
        return switch (stack) {
            case "network" -> resources(s.network(), type).values();
            case "datalake" -> resources(s.dataLake(), type).values();
            case "query" -> resources(s.query(), type).values();
            case "scheduler" -> resources(s.scheduler(), type).values();
            case "monitoring" -> resources(s.monitoring(), type).values();
            default -> throw new IllegalArgumentException(stack);
        };
    }

    private static String bucket(Synthesized s, String logicalIdPrefix) {
        return resources(s.dataLake(), "AWS::S3::Bucket").entrySet().stream()
                .filter(e -> e.getKey().startsWith(logicalIdPrefix)).map(e -> String.valueOf(properties(e.getValue())))
                .findFirst().orElseThrow();
    }

    private static final List<Edge> EDGES = List.of(
            new Edge("null switches raw's transitions off", 1,
                    "dev.dataLake.buckets.raw.standardIaDays=null & dev.dataLake.buckets.raw.glacierIrDays=null",
                    s -> assertThat(bucket(s, "RawBucket")).doesNotContain("STANDARD_IA", "GLACIER_IR", "TransitionInDays")
                            .contains("NoncurrentVersionExpiration")),
            new Edge("another region, zones never derived", 2, "dev.region=\"us-west-1\"", s -> {
                // us-west-1 has no us-west-1d/e/f: with no account the zones are chosen at deploy time.
                assertThat(s.platform().network().getRegion()).isEqualTo("us-west-1");
                assertThat(of(s, "network", "AWS::EC2::Subnet")).hasSize(4)
                        .allSatisfy(subnet -> assertThat(String.valueOf(properties(subnet).get("AvailabilityZone"))).contains("Fn::GetAZs"));
                assertThat(s.network().toJSON().toString()).doesNotContainPattern("us-west-1[a-z]");
                assertThat(s.assembly().getManifest().getMissing()).isNullOrEmpty();
            }),
            new Edge("three named AZs", 3, "dev.region=\"eu-west-1\" & dev.network.azCount=3 & "
                    + "dev.network.availabilityZones=[\"eu-west-1c\",\"eu-west-1a\",\"eu-west-1b\"]",
                    s -> assertThat(of(s, "network", "AWS::EC2::Subnet")).hasSize(6)
                            .extracting(subnet -> properties(subnet).get("AvailabilityZone"))
                            .containsOnly("eu-west-1a", "eu-west-1b", "eu-west-1c")),
            new Edge("three AZs from CDK's lookup", 4, "dev.region=\"us-west-1\" & dev.account=\"111122223333\" & "
                    + "dev.network.azCount=3", s -> {
                // Offline, CDK records the lookup for the CLI (which caches the answer in cdk.context.json).
                assertThat(s.assembly().getManifest().getMissing()).singleElement()
                        .satisfies(missing -> assertThat(missing.getProvider().toString()).isEqualTo("AVAILABILITY_ZONE_PROVIDER"));
                assertThat(of(s, "network", "AWS::EC2::Subnet")).hasSize(6);
                assertThat(s.network().toJSON().toString()).doesNotContainPattern("us-west-1[a-z]");
            }),
            new Edge("Graviton g5g scheduler", 1, "dev.scheduler.instanceType=\"g5g.xlarge\"", s -> {
                assertThat(of(s, "scheduler", "AWS::EC2::Instance")).singleElement()
                        .satisfies(i -> assertThat(properties(i).get("InstanceType")).isEqualTo("g5g.xlarge"));
                assertThat(s.scheduler().toJSON().toString()).contains("al2023-ami-kernel-default-arm64");
            }),
            new Edge("x86 scheduler with an RDS metadata database", 2, "dev.scheduler.instanceType=\"m7i.large\" & "
                    + "dev.scheduler.database=\"rds\" & dev.scheduler.rdsInstanceType=\"r6g.large\"", s -> {
                assertThat(s.scheduler().toJSON().toString()).contains("al2023-ami-kernel-default-x86_64")
                        .doesNotContain("al2023-ami-kernel-default-arm64");
                assertThat(of(s, "scheduler", "AWS::RDS::DBInstance")).singleElement().satisfies(db -> {
                    assertThat(properties(db).get("DBInstanceClass")).isEqualTo("db.r6g.large");
                    assertThat(properties(db).get("MultiAZ")).isEqualTo(false);
                });
                assertThat(of(s, "scheduler", "AWS::EC2::Volume")).isEmpty();
            }),
            new Edge("Intelligent-Tiering on curated", 1, "dev.dataLake.buckets.curated.intelligentTiering=true & "
                    + "dev.dataLake.buckets.curated.standardIaDays=null",
                    s -> assertThat(bucket(s, "CuratedBucket")).contains("INTELLIGENT_TIERING").doesNotContain("STANDARD_IA")),
            new Edge("the largest scan cutoff, an early first run date, results kept a year", 1,
                    "dev.query.bytesScannedCutoffMb=1000000 & dev.query.firstRunDate=\"2020-01-01\" & "
                            + "dev.query.resultsExpirationDays=365", s -> {
                // 10^12 bytes is past a 32-bit integer: CloudFormation validation (on in every synthesis) takes it.
                assertThat(of(s, "query", "AWS::Athena::WorkGroup")).singleElement().satisfies(wg -> assertThat(
                        String.valueOf(properties(wg).get("WorkGroupConfiguration"))).contains("BytesScannedCutoffPerQuery=1000000000000"));
                assertThat(of(s, "query", "AWS::Glue::Table")).hasSize(2).allSatisfy(t -> assertThat(String.valueOf(properties(t)))
                        .contains("projection.run_date.range=2020-01-01,NOW"));
                assertThat(String.valueOf(of(s, "query", "AWS::S3::Bucket"))).contains("ExpirationInDays=365");
            }),
            new Edge("EMR alarms over every cluster of the account", 2, "dev.monitoring.emrAlarmScope=\"account\"", s -> {
                List<String> emr = of(s, "monitoring", "AWS::CloudWatch::Alarm").stream().map(a -> String.valueOf(properties(a)))
                        .filter(a -> a.contains("AWS/ElasticMapReduce")).toList();
                assertThat(emr).hasSize(4).allSatisfy(a -> assertThat(a).contains("GROUP BY JobFlowId").doesNotContain("WHERE"));
            }),
            new Edge("NAT gateway in dev, no off-hours schedule", 1, "dev.network.natMode=\"gateway\" & dev.network.natCount=1 & "
                    + "dev.scheduler.offHours.enabled=false", s -> {
                assertThat(of(s, "network", "AWS::EC2::NatGateway")).hasSize(1);
                assertThat(of(s, "network", "AWS::EC2::Instance")).isEmpty();
                assertThat(of(s, "scheduler", "AWS::Scheduler::Schedule")).isEmpty();
            }));

    @TestFactory
    Stream<DynamicTest> synthesizesWithTheDocumentedOutput() {
        assertThat(EDGES).hasSizeGreaterThanOrEqualTo(8);
        return EDGES.stream().map(edge -> DynamicTest.dynamicTest(edge.name(),
                () -> edge.documented().accept(synthesized(edge.group()))));
    }

    private static Map<String, Object> throughCliContext(String changes) throws IOException {
        return ConfigTableTest.throughCliContext(ConfigTableTest.apply(changes));
    }
}

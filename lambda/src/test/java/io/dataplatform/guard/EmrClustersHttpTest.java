package io.dataplatform.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.EmrException;

/** The real SDK client against a local stub: checks the requests the guard actually sends. */
class EmrClustersHttpTest {
    static EmrClient client(AwsStub stub) {
        return EmrClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void listsEveryPageOfActiveClusters() throws Exception {
        try (AwsStub stub = new AwsStub()) {
            stub.on("ListClusters", r -> r.body().contains("\"Marker\":\"page-2\"")
                    ? new AwsStub.Response(200, "{\"Clusters\":[{\"Id\":\"j-3\"}]}")
                    : new AwsStub.Response(200, "{\"Clusters\":[{\"Id\":\"j-1\"},{\"Id\":\"j-2\"}],\"Marker\":\"page-2\"}"));
            List<String> ids = new EmrClusters(client(stub)).activeClusterIds();
            assertThat(ids).containsExactly("j-1", "j-2", "j-3");
            List<AwsStub.Request> calls = stub.requestsFor("ListClusters");
            assertThat(calls).hasSize(2);
            assertThat(calls.get(0).target()).isEqualTo("ElasticMapReduce.ListClusters");
            assertThat(calls.get(0).body()).contains("\"ClusterStates\":[\"STARTING\",\"BOOTSTRAPPING\",\"RUNNING\",\"WAITING\"]")
                    .doesNotContain("Marker");
            assertThat(calls.get(1).body()).contains("\"Marker\":\"page-2\"");
        }
    }

    @Test
    void describesAClusterWithItsStepsAndTags() throws Exception {
        try (AwsStub stub = new AwsStub()) {
            stub.on("DescribeCluster", r -> new AwsStub.Response(200, "{\"Cluster\":{\"Id\":\"j-1\",\"Name\":\"pipeline\","
                    + "\"TerminationProtected\":false,\"Tags\":[{\"Key\":\"Project\",\"Value\":\"dataplat\"}],"
                    + "\"Status\":{\"State\":\"WAITING\",\"Timeline\":{\"CreationDateTime\":1.7639e9,\"ReadyDateTime\":1.7639001e9}}}}"));
            stub.on("ListSteps", r -> new AwsStub.Response(200, "{\"Steps\":[{\"Id\":\"s-1\",\"Status\":{\"State\":\"COMPLETED\","
                    + "\"Timeline\":{\"EndDateTime\":1.7639005e9}}},{\"Id\":\"s-2\",\"Status\":{\"State\":\"PENDING\"}}]}"));
            ClusterView view = new EmrClusters(client(stub)).describe("j-1");
            assertThat(view.state()).isEqualTo("WAITING");
            assertThat(view.activeSteps()).isEqualTo(1);
            assertThat(view.idleSince().getEpochSecond()).isEqualTo(1763900500L);
            assertThat(view.tags()).containsEntry("Project", "dataplat");
            assertThat(stub.requestsFor("DescribeCluster").get(0).body()).isEqualTo("{\"ClusterId\":\"j-1\"}");
        }
    }

    @Test
    void terminatesExactlyTheGivenClusters() throws Exception {
        try (AwsStub stub = new AwsStub()) {
            new EmrClusters(client(stub)).terminate(List.of("j-1", "j-2"));
            assertThat(stub.requestsFor("TerminateJobFlows")).singleElement()
                    .satisfies(r -> assertThat(r.body()).isEqualTo("{\"JobFlowIds\":[\"j-1\",\"j-2\"]}"));
        }
    }

    @Test
    void apiErrorsSurfaceAsExceptions() throws Exception {
        try (AwsStub stub = new AwsStub()) {
            stub.on("DescribeCluster", r -> new AwsStub.Response(400,
                    "{\"__type\":\"InvalidRequestException\",\"message\":\"Cluster id 'j-x' is not valid.\"}"));
            assertThatThrownBy(() -> new EmrClusters(client(stub)).describe("j-x")).isInstanceOf(EmrException.class)
                    .hasMessageContaining("is not valid");
        }
    }
}

package io.dataplatform.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.sns.SnsClient;

/** The summary and the metric, as the real SDK clients send them. */
class PublishHttpTest {
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));

    @Test
    void publishesTheSummaryToTheTopicAndTheMetricToItsNamespace() throws Exception {
        try (AwsStub sns = new AwsStub(); AwsStub cloudwatch = new AwsStub()) {
            sns.on("Action=Publish", r -> new AwsStub.Response(200, "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                    + "<PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>"));
            SnsClient snsClient = SnsClient.builder().endpointOverride(sns.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
            CloudWatchClient cwClient = CloudWatchClient.builder().endpointOverride(cloudwatch.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
            GuardRun.Summary summary = new GuardRun.Summary(List.of(), List.of("j-1", "j-2"), List.of(), false);

            ClusterGuardHandler.publish(summary, ClusterGuardTest.SETTINGS, snsClient, cwClient);

            String published = URLDecoder.decode(sns.requestsFor("Action=Publish").get(0).body(), StandardCharsets.UTF_8);
            assertThat(published).contains("TopicArn=arn:aws:sns:us-east-1:111122223333:alarms")
                    .contains("Subject=EMR cluster guard (dev)").contains("2 cluster(s) terminated");
            assertThat(cloudwatch.requests).singleElement().satisfies(r -> assertThat(r.body())
                    .contains("DataPlatform/dataplat-dev/Guard").contains(ClusterGuardHandler.METRIC));
        }
    }

    @Test
    void aQuietRunOnlyRecordsTheMetric() throws Exception {
        try (AwsStub sns = new AwsStub(); AwsStub cloudwatch = new AwsStub()) {
            SnsClient snsClient = SnsClient.builder().endpointOverride(sns.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
            CloudWatchClient cwClient = CloudWatchClient.builder().endpointOverride(cloudwatch.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
            ClusterGuardHandler.publish(new GuardRun.Summary(List.of(), List.of(), List.of(), false), ClusterGuardTest.SETTINGS,
                    snsClient, cwClient);
            assertThat(sns.requests).isEmpty();
            assertThat(cloudwatch.requests).hasSize(1);
        }
    }
}

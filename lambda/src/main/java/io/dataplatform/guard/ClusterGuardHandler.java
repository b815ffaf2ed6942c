package io.dataplatform.guard;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * EMR cluster guard: terminates this platform's clusters that are idle too long or too old.
 * Runs on a schedule and when the EMR idle alarm fires; publishes a summary to SNS and the
 * ClustersTerminated metric.
 */
public final class ClusterGuardHandler implements RequestHandler<Map<String, Object>, String> {
    public static final String METRIC = "ClustersTerminated";

    /** Clients created once per Lambda container, on first use (region and credentials from Lambda). */
    private static final class Clients {
        static final EmrClient EMR = EmrClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        static final SnsClient SNS = SnsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        static final CloudWatchClient CLOUDWATCH = CloudWatchClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        GuardSettings settings = GuardSettings.fromEnvironment(System.getenv());
        GuardRun.Summary summary = GuardRun.run(new EmrClusters(Clients.EMR), settings, Clock.systemUTC(),
                line -> context.getLogger().log(line + "\n"));
        publish(summary, settings, Clients.SNS, Clients.CLOUDWATCH);
        if (!summary.errors().isEmpty()) {
            // Fail the invocation so the Errors alarm sees it; the summary was published first.
            throw new IllegalStateException("cluster guard finished with errors:\n" + summary.text());
        }
        return summary.text();
    }

    static void publish(GuardRun.Summary summary, GuardSettings settings, SnsClient sns, CloudWatchClient cloudwatch) {
        cloudwatch.putMetricData(r -> r.namespace(settings.namespace()).metricData(MetricDatum.builder().metricName(METRIC)
                .value((double) (summary.dryRun() ? 0 : summary.terminated().size())).unit(StandardUnit.COUNT).build()));
        if (summary.worthReporting()) {
            sns.publish(r -> r.topicArn(settings.topicArn()).subject("EMR cluster guard (" + settings.environment() + ")")
                    .message(summary.text()));
        }
    }
}

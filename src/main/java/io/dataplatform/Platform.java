package io.dataplatform;

import io.dataplatform.config.PlatformConfig;
import io.dataplatform.datalake.DataLakeStack;
import io.dataplatform.delivery.DeliveryStack;
import java.util.Optional;
import io.dataplatform.emr.EmrStack;
import io.dataplatform.monitoring.MonitoringStack;
import io.dataplatform.scheduler.SchedulerStack;
import io.dataplatform.network.NetworkStack;
import io.dataplatform.query.QueryStack;
import io.dataplatform.core.PlatformStack;
import java.util.List;
import software.amazon.awscdk.App;

/** All stacks of one environment, wired through typed props. */
public record Platform(NetworkStack network, DataLakeStack dataLake, EmrStack emr, QueryStack query, SchedulerStack scheduler,
                       MonitoringStack monitoring, Optional<DeliveryStack> delivery) {

    /** Every stack of the environment, in deployment order. */
    public List<PlatformStack> stacks() {
        return List.of(network, dataLake, emr, query, scheduler, monitoring);
    }

    public static Platform build(App app, PlatformConfig config) {
        NetworkStack network = new NetworkStack(app, config);
        DataLakeStack dataLake = new DataLakeStack(app, config);
        EmrStack emr = new EmrStack(app, config, network.vpc(), dataLake.buckets());
        QueryStack query = new QueryStack(app, config, dataLake.buckets());
        SchedulerStack scheduler = new SchedulerStack(app, config, network.vpc(), dataLake.buckets(), emr.resources(),
                emr.airflowVariables());
        MonitoringStack monitoring = new MonitoringStack(app, config, scheduler, dataLake.buckets());
        Optional<DeliveryStack> delivery = config.delivery().map(d -> new DeliveryStack(app, config, d));
        Platform platform = new Platform(network, dataLake, emr, query, scheduler, monitoring, delivery);
        platform.stacks().forEach(PlatformStack::tagRawResources);
        delivery.ifPresent(PlatformStack::tagRawResources);
        return platform;
    }
}

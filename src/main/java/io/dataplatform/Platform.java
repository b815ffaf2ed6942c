package io.dataplatform;

import io.dataplatform.config.PlatformConfig;
import io.dataplatform.datalake.DataLakeStack;
import io.dataplatform.emr.EmrStack;
import io.dataplatform.scheduler.SchedulerStack;
import io.dataplatform.network.NetworkStack;
import io.dataplatform.core.PlatformStack;
import java.util.List;
import software.amazon.awscdk.App;

/** All stacks of one environment, wired through typed props. */
public record Platform(NetworkStack network, DataLakeStack dataLake, EmrStack emr, SchedulerStack scheduler) {

    /** Every stack, in deployment order. */
    public List<PlatformStack> stacks() {
        return List.of(network, dataLake, emr, scheduler);
    }

    public static Platform build(App app, PlatformConfig config) {
        NetworkStack network = new NetworkStack(app, config);
        DataLakeStack dataLake = new DataLakeStack(app, config);
        EmrStack emr = new EmrStack(app, config, network.vpc(), dataLake.buckets());
        SchedulerStack scheduler = new SchedulerStack(app, config, network.vpc(), dataLake.buckets(), emr.resources(),
                emr.airflowVariables());
        return new Platform(network, dataLake, emr, scheduler);
    }
}

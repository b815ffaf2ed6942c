package io.dataplatform;

import io.dataplatform.config.PlatformConfig;
import io.dataplatform.datalake.DataLakeStack;
import io.dataplatform.network.NetworkStack;
import software.amazon.awscdk.App;

/** All stacks of one environment, wired through typed props. */
public record Platform(NetworkStack network, DataLakeStack dataLake) {

    public static Platform build(App app, PlatformConfig config) {
        NetworkStack network = new NetworkStack(app, config);
        DataLakeStack dataLake = new DataLakeStack(app, config);
        return new Platform(network, dataLake);
    }
}

package io.dataplatform.config;

import java.util.Set;
import java.util.TreeSet;
import software.amazon.awscdk.regioninfo.RegionInfo;

/** The regions aws-cdk-lib's region-info database knows (read once, only when a region is configured). */
final class KnownRegions {
    static final Set<String> NAMES = load();

    private KnownRegions() {
    }

    private static Set<String> load() {
        Set<String> names = new TreeSet<>();
        RegionInfo.getRegions().forEach(r -> names.add(r.getName()));
        return Set.copyOf(names);
    }
}

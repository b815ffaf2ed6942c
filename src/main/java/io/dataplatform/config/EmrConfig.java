package io.dataplatform.config;

import java.util.Optional;

/**
 * How the sample pipeline's transient EMR clusters are shaped, and how they are secured.
 *
 * @param releaseLabel          EMR release, e.g. {@code emr-7.13.0}
 * @param primaryInstanceType   instance type of the (on-demand) primary node
 * @param coreInstanceType      instance type of the core nodes
 * @param coreInstanceCount     number of core nodes
 * @param spotCore              run core nodes on Spot capacity (cheaper, may be reclaimed)
 * @param idleTimeoutMinutes    EMR auto-termination after this long idle (the DAG terminates first)
 * @param inTransitEncryption   TLS between cluster nodes; needs {@code tlsCertificatesKey}
 * @param tlsCertificatesKey    key in the artifacts bucket of the PEM certificates zip
 * @param maxRejectPercent      sample pipeline: a run fails when more than this percent of its
 *                              input rows are rejected (0: any rejected row fails it)
 */
public record EmrConfig(
        String releaseLabel,
        String primaryInstanceType,
        String coreInstanceType,
        int coreInstanceCount,
        boolean spotCore,
        int idleTimeoutMinutes,
        boolean inTransitEncryption,
        Optional<String> tlsCertificatesKey,
        int maxRejectPercent) {
}

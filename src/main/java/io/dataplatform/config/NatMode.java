package io.dataplatform.config;

/** How private subnets reach the internet. */
public enum NatMode {
    /** One Graviton NAT instance (t4g.nano): a few dollars a month, one AZ, no HA. For dev. */
    INSTANCE,
    /** Managed NAT gateways, normally one per AZ: highly available, ~32 USD/month each plus data. */
    GATEWAY
}

package io.dataplatform.config;

/** What {@code cdk destroy} (or removing a resource from the code) does to stateful resources. */
public enum RemovalMode {
    /** Keep buckets, volumes and secrets when the stack or resource is deleted. */
    RETAIN,
    /** Delete them, emptying buckets first. Never allowed in a production environment. */
    DESTROY
}

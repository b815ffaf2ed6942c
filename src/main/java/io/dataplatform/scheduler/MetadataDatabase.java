package io.dataplatform.scheduler;

import io.dataplatform.config.RemovalMode;
import io.dataplatform.core.NagChecks;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.rds.StorageType;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * Airflow's metadata database in RDS for PostgreSQL 16, when config chooses {@code rds}: private,
 * encrypted, reachable only from the Airflow instance, retained (or snapshot-free deleted when
 * the environment opts into destroy), Multi-AZ and deletion-protected in production.
 */
public final class MetadataDatabase extends Construct {
    static final String DATABASE_NAME = "airflow";
    private final DatabaseInstance database;

    public MetadataDatabase(Construct scope, String id, IVpc vpc, ISecurityGroup airflow, String instanceClass,
                            boolean production, RemovalMode removal) {
        super(scope, id);
        SecurityGroup group = SecurityGroup.Builder.create(this, "SecurityGroup").vpc(vpc)
                .description("Airflow metadata database: PostgreSQL from the Airflow instance only")
                .allowAllOutbound(false).build();
        group.addIngressRule(airflow, Port.tcp(5432), "PostgreSQL from the Airflow instance");
        database = DatabaseInstance.Builder.create(this, "Instance")
                .engine(DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder().version(PostgresEngineVersion.VER_16).build()))
                .instanceType(new InstanceType(instanceClass))
                .vpc(vpc)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .securityGroups(List.of(group))
                .credentials(Credentials.fromGeneratedSecret("airflow"))
                .databaseName(DATABASE_NAME)
                .allocatedStorage(20)
                .storageType(StorageType.GP3)
                .storageEncrypted(true)
                .multiAz(production)
                .deletionProtection(production)
                .backupRetention(Duration.days(7))
                .autoMinorVersionUpgrade(true)
                .publiclyAccessible(false)
                .removalPolicy(removal == RemovalMode.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
                .build();
        // The subnet group lists the two private subnets, each a cross-stack reference (Fn::GetStackOutput):
        // the validator cannot resolve them and takes the two different values for duplicates.
        NagChecks.acknowledgeTemplateRule(database, "W9007",
                "The RDS subnet group's SubnetIds are two different private subnets imported from the network stack; "
                        + "CloudFormation validation cannot resolve cross-stack outputs and reports them as duplicates.");
        NagChecks.acknowledge(database, "AwsSolutions-RDS11",
                "Reachable only from the Airflow instance's security group inside private subnets; a non-default port adds nothing.");
        NagChecks.acknowledge(database, "AwsSolutions-SMG4",
                "Airflow reads the password at boot; rotating it needs an Airflow restart (README, Operations).");
        if (!production) {
            NagChecks.acknowledge(database, "AwsSolutions-RDS3",
                    "Single-AZ outside production: the metadata database of a dev Airflow is not worth twice the price.");
            NagChecks.acknowledge(database, "AwsSolutions-RDS10",
                    "Deletion protection is on in production; dev environments are destroyed with cdk destroy.");
        }
    }

    public ISecret secret() {
        return database.getSecret();
    }

    public DatabaseInstance instance() {
        return database;
    }
}

package io.dataplatform.scheduler;

import io.dataplatform.core.ClasspathFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.ec2.CloudFormationInit;
import software.amazon.awscdk.services.ec2.InitCommand;
import software.amazon.awscdk.services.ec2.InitCommandOptions;
import software.amazon.awscdk.services.ec2.InitConfig;
import software.amazon.awscdk.services.ec2.InitElement;
import software.amazon.awscdk.services.ec2.InitFile;
import software.amazon.awscdk.services.ec2.InitFileOptions;

/**
 * The instance's cfn-init configuration: the real files under src/main/resources/scheduler,
 * rendered with the stack's values, plus the command that runs the idempotent bootstrap. cfn-hup
 * re-applies it in place whenever it changes, so a bootstrap change updates the running instance
 * instead of replacing it.
 */
final class AirflowBootstrap {
    static final String RESOURCES = "/scheduler/";
    static final String PLATFORM_ENV = "/etc/dataplatform/platform.env";
    static final String BOOTSTRAP = "/opt/dataplatform/bootstrap.sh";
    static final String CONFIG_SET = "airflow";

    private AirflowBootstrap() {
    }

    /**
     * @param platformEnv  settings and AIRFLOW_VAR_* values written to {@value #PLATFORM_ENV}
     * @param stackId      for cfn-hup
     * @param region       for cfn-hup
     * @param resourceId   logical id of the instance, for cfn-hup
     * @param agentConfig  values of the CloudWatch agent configuration
     */
    static CloudFormationInit init(Map<String, String> platformEnv, String stackId, String region, String resourceId,
                                   Map<String, String> agentConfig) {
        List<InitElement> elements = new ArrayList<>();
        elements.add(InitFile.fromString(PLATFORM_ENV, envFile(platformEnv), mode("000640")));
        elements.add(InitFile.fromString(BOOTSTRAP, ClasspathFiles.read(RESOURCES + "bootstrap.sh"), mode("000750")));
        for (String unit : List.of("airflow@.service", "dag-sync.service", "dag-sync.timer", "cfn-hup.service",
                "dataplatform-data-volume.service", "dataplatform-task-credentials.service", "dataplatform-task-credentials.timer")) {
            elements.add(InitFile.fromString("/etc/systemd/system/" + unit, ClasspathFiles.read(RESOURCES + unit), mode("000644")));
        }
        elements.add(InitFile.fromString("/opt/aws/amazon-cloudwatch-agent/etc/dataplatform.json",
                ClasspathFiles.render(RESOURCES + "cloudwatch-agent.json", agentConfig), mode("000644")));
        elements.add(InitFile.fromString("/etc/cfn/cfn-hup.conf",
                "[main]\nstack=" + stackId + "\nregion=" + region + "\ninterval=5\n", mode("000400")));
        elements.add(InitFile.fromString("/etc/cfn/hooks.d/airflow-bootstrap.conf",
                "[airflow-bootstrap]\ntriggers=post.update\npath=Resources." + resourceId + ".Metadata.AWS::CloudFormation::Init\n"
                        + "action=/opt/aws/bin/cfn-init -v --stack " + stackId + " --resource " + resourceId
                        + " --configsets " + CONFIG_SET + " --region " + region + "\nrunas=root\n", mode("000400")));
        elements.add(InitCommand.shellCommand(BOOTSTRAP + " >> /var/log/dataplatform-bootstrap.log 2>&1",
                InitCommandOptions.builder().key("10-bootstrap").build()));
        return CloudFormationInit.fromConfigSets(software.amazon.awscdk.services.ec2.ConfigSetProps.builder()
                .configSets(Map.of(CONFIG_SET, List.of("bootstrap")))
                .configs(Map.of("bootstrap", new InitConfig(elements)))
                .build());
    }

    static String envFile(Map<String, String> values) {
        StringBuilder text = new StringBuilder("# Rendered by the scheduler stack. Settings of the bootstrap and the AIRFLOW_VAR_* DAGs read.\n");
        new LinkedHashMap<>(values).forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    private static InitFileOptions mode(String mode) {
        return InitFileOptions.builder().mode(mode).owner("root").group("root").build();
    }
}

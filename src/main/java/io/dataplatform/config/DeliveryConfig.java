package io.dataplatform.config;

import java.util.List;
import java.util.Optional;

/**
 * CI/CD access from GitHub Actions, deployed once per account.
 *
 * @param githubRepository     {@code owner/name} of the repository whose workflows may deploy
 * @param deployBranches       branches whose workflows may deploy (e.g. main)
 * @param githubEnvironments   GitHub environments whose jobs may deploy (e.g. dev, prod)
 * @param oidcProviderArn      an existing GitHub OIDC provider of the account, or empty to create one
 * @param bootstrapQualifier   qualifier of the CDK bootstrap stack whose roles the workflows assume
 */
public record DeliveryConfig(
        String githubRepository,
        List<String> deployBranches,
        List<String> githubEnvironments,
        Optional<String> oidcProviderArn,
        String bootstrapQualifier) {

    public DeliveryConfig {
        deployBranches = List.copyOf(deployBranches);
        githubEnvironments = List.copyOf(githubEnvironments);
    }
}

package io.photopipe.infra;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Enables a test class only where LocalStack Pro can run: a {@code LOCALSTACK_AUTH_TOKEN} and a reachable Docker
 * engine. Otherwise the class is reported as skipped, with the reason printed where the build log shows it.
 */
final class LocalStackAvailable implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token == null || token.isBlank()) {
            return skip("LOCALSTACK_AUTH_TOKEN is not set; deploying the stack to LocalStack needs LocalStack Pro "
                    + "(Lambda, CloudFormation, API Gateway v2)");
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return skip("no Docker engine is reachable; the LocalStack deployment test runs LocalStack in Docker");
        }
        return ConditionEvaluationResult.enabled("LocalStack auth token and Docker present");
    }

    private static ConditionEvaluationResult skip(String reason) {
        System.out.println("[LocalStackDeployIT] SKIPPED: " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}

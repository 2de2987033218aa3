package io.photopipe.infra;

import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/** What both functions share: an execution role with no managed policies and a log group with a retention. */
final class FunctionBase {

    private FunctionBase() {
    }

    /**
     * A role Lambda can assume and nothing else. Not {@code AWSLambdaBasicExecutionRole}: it allows writing to every
     * log group ({@code Resource: *}); each function gets write access to its own log group only.
     */
    static Role role(Construct scope, String id, String description) {
        return Role.Builder.create(scope, id)
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description(description)
                .managedPolicies(List.of())
                .build();
    }

    /** The function's own log group, deleted with the stack (logs are not the data this stack keeps). */
    static LogGroup logGroup(Construct scope, String id, int retentionDays, IRole writer) {
        LogGroup group = LogGroup.Builder.create(scope, id)
                .retention(retention(retentionDays))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        group.grantWrite(writer);
        return group;
    }

    static Architecture architecture(String name) {
        return switch (name) {
            case "arm64" -> Architecture.ARM_64;
            case "x86_64" -> Architecture.X86_64;
            default -> throw new IllegalArgumentException("worker.architecture: '" + name + "' is not arm64 or x86_64");
        };
    }

    private static RetentionDays retention(int days) {
        for (RetentionDays r : RetentionDays.values()) {
            if (r != RetentionDays.INFINITE && retentionValue(r) == days) {
                return r;
            }
        }
        throw new IllegalArgumentException("logRetentionDays: " + days + " is not a CloudWatch Logs retention");
    }

    private static int retentionValue(RetentionDays r) {
        return switch (r) {
            case ONE_DAY -> 1;
            case THREE_DAYS -> 3;
            case FIVE_DAYS -> 5;
            case ONE_WEEK -> 7;
            case TWO_WEEKS -> 14;
            case ONE_MONTH -> 30;
            case TWO_MONTHS -> 60;
            case THREE_MONTHS -> 90;
            case FOUR_MONTHS -> 120;
            case FIVE_MONTHS -> 150;
            case SIX_MONTHS -> 180;
            case ONE_YEAR -> 365;
            case THIRTEEN_MONTHS -> 400;
            case EIGHTEEN_MONTHS -> 545;
            case TWO_YEARS -> 731;
            case THREE_YEARS -> 1096;
            case FIVE_YEARS -> 1827;
            case SIX_YEARS -> 2192;
            case SEVEN_YEARS -> 2557;
            case EIGHT_YEARS -> 2922;
            case NINE_YEARS -> 3288;
            case TEN_YEARS -> 3653;
            default -> -1;
        };
    }
}

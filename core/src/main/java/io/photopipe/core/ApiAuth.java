package io.photopipe.core;

import java.util.Arrays;
import java.util.Locale;

/**
 * Who may call the upload API, as the place it runs decides: on AWS the HTTP API's authorizer
 * ({@link #IAM} unless the deployment names a JWT issuer, {@link #NONE} only when the deployer allows anonymous
 * uploads), in the local stack {@link #NONE} (a dev stack on the loopback interface, said loudly at start). The
 * function reads it from {@link FunctionEnv#API_AUTH} and refuses a request without the identity it requires, so a
 * route that lost its authorizer fails closed instead of turning anonymous.
 */
public enum ApiAuth {
    /** Anyone who can reach the API; an upload's id is the only key to its status. */
    NONE,
    /**
     * SigV4-signed requests of IAM principals allowed {@code execute-api:Invoke}
     * (<a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control-iam.html">IAM
     * authorization for HTTP APIs</a>); the caller is {@code requestContext.authorizer.iam.userArn}.
     */
    IAM,
    /**
     * Bearer tokens of one OpenID Connect / OAuth 2.0 issuer, checked by API Gateway
     * (<a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html">JWT
     * authorizers</a>); the caller is the token's {@code iss} and {@code sub}.
     */
    JWT;

    /** The value of {@link FunctionEnv#API_AUTH}: {@code none}, {@code iam} or {@code jwt}. */
    public String envValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@link #envValue()}.
     *
     * @throws SettingsException naming {@code setting} when the value is none of them
     */
    public static ApiAuth parse(String value, String setting) {
        for (ApiAuth auth : values()) {
            if (auth.envValue().equals(value)) {
                return auth;
            }
        }
        throw new SettingsException(setting, "'" + value + "' must be one of "
                + Arrays.stream(values()).map(ApiAuth::envValue).toList());
    }
}

package io.photopipe.infra;

import io.photopipe.core.ApiAuth;
import io.photopipe.core.SettingsException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a deployment adds to the pipeline settings: options that exist only on AWS, read from CDK context
 * ({@code -c name=value} on the CDK CLI or {@code ./photopipe infra synth}, or {@code "context"} in {@code cdk.json}).
 * Nothing here repeats a {@link io.photopipe.core.PipelineSettings} field.
 *
 * @param stackName                    CloudFormation stack name (context {@code stackName})
 * @param versioned                    S3 versioning on the bucket(s) (context {@code versioned})
 * @param autoDeleteObjects            a throw-away stack: the bucket is emptied and deleted on {@code cdk destroy}
 *                                     (context {@code autoDeleteObjects}); otherwise it is retained
 * @param jwtIssuer                    issuer URL of a JWT authorizer on every route of the API, "" for IAM
 *                                     authorization (context {@code jwtIssuer})
 * @param jwtAudience                  accepted audiences, required with an issuer (context {@code jwtAudience},
 *                                     comma-separated)
 * @param allowAnonymousUploads        no authorization on the API: anyone may upload (context
 *                                     {@code allowAnonymousUploads}); the only way to open it, warned about loudly
 * @param apiBaseUrl                   the API's public base URL (a custom domain) for the links it returns, "" for
 *                                     the domain API Gateway reports (context {@code apiBaseUrl})
 * @param oldestMessageAlarmSeconds    alarm when the oldest queued upload is older than this
 *                                     (context {@code oldestMessageAlarmSeconds})
 * @param alarmEmail                   e-mail address subscribed to the alarms' SNS topic, "" for no topic
 *                                     (context {@code alarmEmail})
 * @param logRetentionDays             CloudWatch Logs retention of both functions (context {@code logRetentionDays})
 * @param apiRateLimit                 steady requests per second the API's stage accepts (context {@code apiRateLimit})
 * @param apiBurstLimit                burst the API's stage accepts (context {@code apiBurstLimit})
 * @param uploadsRateLimit             steady requests per second {@code POST /uploads} accepts, of the stage's
 *                                     (context {@code uploadsRateLimit})
 * @param uploadsBurstLimit            burst {@code POST /uploads} accepts (context {@code uploadsBurstLimit})
 */
public record DeployOptions(String stackName, boolean versioned, boolean autoDeleteObjects, String jwtIssuer,
                            List<String> jwtAudience, boolean allowAnonymousUploads, String apiBaseUrl,
                            int oldestMessageAlarmSeconds, String alarmEmail, int logRetentionDays, int apiRateLimit,
                            int apiBurstLimit, int uploadsRateLimit, int uploadsBurstLimit) {

    private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,127}");
    /** The values CloudWatch Logs accepts for a retention, in days. */
    static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
            1096, 1827, 2192, 2557, 2922, 3288, 3653);

    public DeployOptions {
        require(stackName != null && STACK_NAME.matcher(stackName).matches(), "stackName",
                "'" + stackName + "' must start with a letter and hold only letters, digits and '-' (max 128)");
        jwtIssuer = jwtIssuer == null ? "" : jwtIssuer.trim();
        jwtAudience = jwtAudience == null ? List.of() : List.copyOf(jwtAudience);
        require(jwtIssuer.isEmpty() || jwtIssuer.startsWith("https://"), "jwtIssuer",
                "'" + jwtIssuer + "' must be an https:// issuer URL (API Gateway fetches its JWKS over HTTPS)");
        require(jwtIssuer.isEmpty() == jwtAudience.isEmpty(), jwtIssuer.isEmpty() ? "jwtIssuer" : "jwtAudience",
                "jwtIssuer and jwtAudience go together: set both for a JWT authorizer, or neither");
        require(!allowAnonymousUploads || jwtIssuer.isEmpty(), "allowAnonymousUploads",
                "true contradicts jwtIssuer: choose a JWT authorizer or anonymous uploads, not both");
        apiBaseUrl = apiBaseUrl == null ? "" : apiBaseUrl.trim();
        require(apiBaseUrl.isEmpty() || apiBaseUrl.matches("https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\\s?#]*)?"),
                "apiBaseUrl", "'" + apiBaseUrl + "' must be an https:// URL such as https://api.photos.example.com "
                        + "(API Gateway serves HTTPS only)");
        require(oldestMessageAlarmSeconds >= 60, "oldestMessageAlarmSeconds",
                oldestMessageAlarmSeconds + " must be at least 60");
        alarmEmail = alarmEmail == null ? "" : alarmEmail.trim();
        require(alarmEmail.isEmpty() || alarmEmail.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"), "alarmEmail",
                "'" + alarmEmail + "' is not an e-mail address");
        require(RETENTION_DAYS.contains(logRetentionDays), "logRetentionDays",
                logRetentionDays + " is not a retention CloudWatch Logs accepts; one of "
                        + RETENTION_DAYS.stream().sorted().toList());
        require(apiRateLimit >= 1, "apiRateLimit", apiRateLimit + " must be at least 1 request per second");
        require(apiBurstLimit >= 1, "apiBurstLimit", apiBurstLimit + " must be at least 1");
        require(uploadsRateLimit >= 1 && uploadsRateLimit <= apiRateLimit, "uploadsRateLimit",
                uploadsRateLimit + " must be from 1 to apiRateLimit (" + apiRateLimit + ")");
        require(uploadsBurstLimit >= 1 && uploadsBurstLimit <= apiBurstLimit, "uploadsBurstLimit",
                uploadsBurstLimit + " must be from 1 to apiBurstLimit (" + apiBurstLimit + ")");
    }

    /**
     * Who may call the API: a JWT authorizer when an issuer is named, nobody's check only when the deployer allowed
     * anonymous uploads, and IAM authorization otherwise (SigV4-signed requests of principals allowed
     * {@code execute-api:Invoke}: secure with no identity provider to set up).
     */
    public ApiAuth apiAuth() {
        return !jwtIssuer.isEmpty() ? ApiAuth.JWT : allowAnonymousUploads ? ApiAuth.NONE : ApiAuth.IAM;
    }

    /** The defaults: stack "Photopipe", bucket retained, IAM authorization, 15-minute age alarm, 30-day logs. */
    public static DeployOptions defaults() {
        return fromContext(key -> null);
    }

    /**
     * Reads the options from CDK context values (strings from the command line, or JSON values from cdk.json).
     *
     * @throws SettingsException naming the context parameter, its bad value and what is allowed
     */
    public static DeployOptions fromContext(Function<String, Object> context) {
        return new DeployOptions(
                string(context, "stackName", "Photopipe"),
                bool(context, "versioned", false),
                bool(context, "autoDeleteObjects", false),
                string(context, "jwtIssuer", ""),
                list(context, "jwtAudience"),
                bool(context, "allowAnonymousUploads", false),
                string(context, "apiBaseUrl", ""),
                integer(context, "oldestMessageAlarmSeconds", 900),
                string(context, "alarmEmail", ""),
                integer(context, "logRetentionDays", 30),
                integer(context, "apiRateLimit", 50),
                integer(context, "apiBurstLimit", 100),
                integer(context, "uploadsRateLimit", 10),
                integer(context, "uploadsBurstLimit", 20));
    }

    private static String string(Function<String, Object> context, String key, String fallback) {
        Object v = context.apply(key);
        return v == null ? fallback : v.toString();
    }

    private static boolean bool(Function<String, Object> context, String key, boolean fallback) {
        Object v = context.apply(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        return switch (v.toString().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SettingsException(key, "'" + v + "' must be true or false");
        };
    }

    private static int integer(Function<String, Object> context, String key, int fallback) {
        Object v = context.apply(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new SettingsException(key, "'" + v + "' must be a whole number", e);
        }
    }

    private static List<String> list(Function<String, Object> context, String key) {
        Object v = context.apply(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(Object::toString).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return Arrays.stream(v.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static void require(boolean condition, String key, String message) {
        if (!condition) {
            throw new SettingsException(key, message);
        }
    }
}

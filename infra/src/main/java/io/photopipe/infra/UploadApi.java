package io.photopipe.infra;

import io.photopipe.core.ApiAuth;
import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpNoneAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.constructs.Construct;

/**
 * The upload API: its function (SnapStart, behind an alias, with reserved concurrency) and an API Gateway HTTP API
 * with the routes the local runtime serves on 127.0.0.1:8080 ({@code POST /uploads}, {@code GET /images/{id}},
 * {@code GET /} for the page), every one of them behind IAM authorization or a JWT authorizer unless the deployer
 * allowed anonymous uploads, CORS only for the origins the settings name, and a stage throttled as a whole and on
 * {@code POST /uploads}.
 *
 * <p>Per-client limits: an HTTP API has no per-client throttling and AWS WAF cannot be associated with it
 * (<a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html">Choose between REST
 * APIs and HTTP APIs</a>: both are REST API features). What AWS documents for HTTP APIs is stage and route
 * throttling (<a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html">Throttle
 * requests to your HTTP APIs</a>), set here; the authorizer refuses callers without credentials before the function
 * runs; and the function limits each authenticated client's uploads ({@code api.uploadsPerClientPerMinute}, the
 * API's {@code UploadRateLimit}). Per-IP limits of unauthenticated floods need a CloudFront distribution with a WAF
 * web ACL in front (created in us-east-1), which this stack does not build: see the README's security notes.
 */
public final class UploadApi extends Construct {

    /** The route key with its own throttle. */
    static final String UPLOADS_ROUTE = "POST /uploads";

    /** What synthesis says, loudly, when the API is open to anyone. */
    static final String ANONYMOUS_WARNING = "allowAnonymousUploads=true: the upload API has NO authorization. "
            + "Anyone who finds its URL can upload photos into the bucket and make the worker process them; only "
            + "the per-IP upload rate (api.uploadsPerClientPerMinute), the stage throttle and the API's reserved "
            + "concurrency bound what they cost. Deploy without it for IAM authorization, or with jwtIssuer and "
            + "jwtAudience for your identity provider's tokens.";

    private final Function function;
    private final Alias alias;
    private final Role role;
    private final HttpApi httpApi;
    private final HttpStage stage;

    public UploadApi(Construct scope, String id, PipelineSettings settings, DeployOptions options, Storage storage,
                     java.nio.file.Path jar) {
        super(scope, id);
        PipelineSettings.Api a = settings.api();
        role = FunctionBase.role(this, "Role", "photopipe API: presigns uploads and reads photo status");
        function = Function.Builder.create(this, "Function")
                .description("photopipe upload API: presigned uploads and photo status")
                .runtime(Runtime.JAVA_25)
                .architecture(FunctionBase.architecture(settings.worker().architecture()))
                .memorySize(a.memoryMb())
                .timeout(Duration.seconds(a.timeoutSeconds()))
                .code(Code.fromAsset(jar.toString()))
                .handler(FunctionJars.API_HANDLER)
                // Exactly what the local runtime sets, but for who may call and the base URL: one definition in core.
                .environment(FunctionEnv.api(settings, options.apiAuth(), options.apiBaseUrl()))
                // Reserved for it, and its ceiling: a flood of API calls can neither starve the worker of the
                // account's concurrency nor run up more than this many environments
                // (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html)
                .reservedConcurrentExecutions(a.reservedConcurrency())
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .role(role)
                .logGroup(FunctionBase.logGroup(this, "Logs", options.logRetentionDays(), role))
                .build();
        // The alias below publishes a version (SnapStart snapshots it); the CDK's reminder does not apply.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "a version is published through currentVersion and invoked through an alias");
        alias = Alias.Builder.create(this, "Alias")
                .aliasName(WorkerFunction.ALIAS)
                .version(function.getCurrentVersion())
                .build();
        grant(settings, storage);

        HttpApi.Builder api = HttpApi.Builder.create(this, "HttpApi")
                .apiName(options.stackName() + "-api")
                .description("photopipe upload API")
                .createDefaultStage(false);
        if (!a.corsOrigins().isEmpty()) {
            // API Gateway answers OPTIONS preflights itself from this configuration, before any authorizer:
            // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
            api.corsPreflight(CorsPreflightOptions.builder()
                    .allowOrigins(a.corsOrigins())
                    .allowMethods(List.of(CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS))
                    .allowHeaders(List.of("content-type", "authorization"))
                    .maxAge(Duration.hours(1))
                    .build());
        }
        if (a.corsOrigins().contains("*")) {
            Annotations.of(this).addWarningV2("photopipe:cors-any-origin", "api.corsOrigins contains \"*\": any "
                    + "web page may call the API and upload to the bucket from its visitors' browsers. Name your "
                    + "page's origin instead.");
        }
        httpApi = api.build();
        stage = HttpStage.Builder.create(this, "DefaultStage")
                .httpApi(httpApi)
                .stageName("$default")
                .autoDeploy(true)
                // A ceiling on the whole API (every client together), and a lower one on starting uploads, so a
                // burst of uploads leaves room for status polls.
                .throttle(ThrottleSettings.builder()
                        .rateLimit(options.apiRateLimit())
                        .burstLimit(options.apiBurstLimit())
                        .build())
                .build();

        HttpLambdaIntegration integration = new HttpLambdaIntegration("Integration", alias);
        IHttpRouteAuthorizer authorizer = switch (options.apiAuth()) {
            case JWT -> HttpJwtAuthorizer.Builder.create("Jwt", options.jwtIssuer())
                    .jwtAudience(options.jwtAudience())
                    .identitySource(List.of("$request.header.Authorization"))
                    .build();
            // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control-iam.html
            case IAM -> new HttpIamAuthorizer();
            case NONE -> new HttpNoneAuthorizer();
        };
        // Every route, the page too: with authorization required, nothing of the API is public
        List<HttpRoute> routes = new ArrayList<>();
        routes.addAll(route("/uploads", HttpMethod.POST, integration, authorizer));
        routes.addAll(route("/images/{id}", HttpMethod.GET, integration, authorizer));
        routes.addAll(route("/", HttpMethod.GET, integration, authorizer));
        CfnStage cfnStage = (CfnStage) stage.getNode().getDefaultChild();
        // RouteSettings is plain JSON to CloudFormation: written with its own capitalised keys
        cfnStage.setRouteSettings(Map.of(UPLOADS_ROUTE, Map.of(
                "ThrottlingRateLimit", options.uploadsRateLimit(),
                "ThrottlingBurstLimit", options.uploadsBurstLimit())));
        // A stage naming a route in its RouteSettings fails to deploy before that route exists
        routes.forEach(r -> stage.getNode().addDependency(r));

        if (options.apiAuth() == ApiAuth.NONE) {
            Annotations.of(this).addWarningV2("photopipe:anonymous-uploads", ANONYMOUS_WARNING);
            // The page is usable in a browser only without authorization; it PUTs to the bucket from its origin
            storage.bucket().addCorsRule(Storage.uploadCors(pageOrigins(options)));
        }
    }

    /** The origins the API's own page is served from: its execute-api endpoint, and its custom domain if set. */
    private List<String> pageOrigins(DeployOptions options) {
        List<String> origins = new ArrayList<>(List.of(httpApi.getApiEndpoint()));
        if (!options.apiBaseUrl().isEmpty()) {
            java.net.URI base = java.net.URI.create(options.apiBaseUrl());
            origins.add(base.getScheme() + "://" + base.getAuthority());
        }
        return origins;
    }

    private List<HttpRoute> route(String path, HttpMethod method, HttpLambdaIntegration integration,
                                  IHttpRouteAuthorizer authorizer) {
        return httpApi.addRoutes(AddRoutesOptions.builder().path(path).methods(List.of(method))
                .integration(integration).authorizer(authorizer).build());
    }

    private void grant(PipelineSettings settings, Storage storage) {
        String inputObjects = storage.bucket().arnForObjects(settings.inputPrefix() + "*");
        String apiRecords = storage.outputBucket().arnForObjects(settings.layout().apiRecordsPrefix() + "*");
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("PresignUploadsAndKeepRecords")
                // A presigned PUT carries the signer's permissions: uploads under the input prefix. The API also
                // keeps its records (upload tickets, per-client counters) under <outputPrefix>_api/, and writes
                // nothing else.
                .actions(List.of("s3:PutObject"))
                .resources(List.of(inputObjects, apiRecords))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("TagRecordsForExpiry")
                // PutObject with tags needs s3:PutObjectTagging too; the tag is what the lifecycle rule expires by
                // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-managing.html)
                .actions(List.of("s3:PutObjectTagging"))
                .resources(List.of(apiRecords))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("ReadPhotosAndRenditions")
                // Presigned GETs of originals and renditions, the source's ETag and owner, records and status
                // documents.
                .actions(List.of("s3:GetObject"))
                .resources(List.of(inputObjects,
                        storage.outputBucket().arnForObjects(settings.outputPrefix() + "*")))
                .build());
        // Also the listings: the one photo of an id whose ticket expired, and a client's uploads of the last minute
        role.addToPolicy(Storage.listForNotFound("NotFoundIsNotFound", storage));
    }

    /** The function. */
    public Function function() {
        return function;
    }

    /** The alias API Gateway invokes. */
    public Alias alias() {
        return alias;
    }

    /** The execution role. */
    public Role role() {
        return role;
    }

    /** The HTTP API. */
    public HttpApi httpApi() {
        return httpApi;
    }

    /** The API's base URL, ending with '/'. */
    public String url() {
        return stage.getUrl();
    }

}

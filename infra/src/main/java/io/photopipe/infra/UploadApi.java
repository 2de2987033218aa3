package io.photopipe.infra;

import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import java.util.List;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
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
 * The upload API: its function (SnapStart, behind an alias) and an API Gateway HTTP API with the routes the local
 * runtime serves on 127.0.0.1:8080 ({@code POST /uploads}, {@code GET /images/{id}}, {@code GET /} for the page),
 * CORS from the settings, a throttled default stage and an optional JWT authorizer on the two API routes.
 */
public final class UploadApi extends Construct {

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
                // Exactly what the local runtime sets: one definition in core.
                .environment(FunctionEnv.api(settings))
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
            // API Gateway answers OPTIONS preflights itself from this configuration:
            // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
            api.corsPreflight(CorsPreflightOptions.builder()
                    .allowOrigins(a.corsOrigins())
                    .allowMethods(List.of(CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS))
                    .allowHeaders(List.of("content-type", "authorization"))
                    .maxAge(Duration.hours(1))
                    .build());
        }
        httpApi = api.build();
        stage = HttpStage.Builder.create(this, "DefaultStage")
                .httpApi(httpApi)
                .stageName("$default")
                .autoDeploy(true)
                // A ceiling on what an anonymous caller can make the account pay for.
                .throttle(ThrottleSettings.builder()
                        .rateLimit(options.apiRateLimit())
                        .burstLimit(options.apiBurstLimit())
                        .build())
                .build();

        HttpLambdaIntegration integration = new HttpLambdaIntegration("Integration", alias);
        IHttpRouteAuthorizer authorizer = options.jwtIssuer().isEmpty() ? null
                : HttpJwtAuthorizer.Builder.create("Jwt", options.jwtIssuer())
                        .jwtAudience(options.jwtAudience())
                        .identitySource(List.of("$request.header.Authorization"))
                        .build();
        route("/uploads", HttpMethod.POST, integration, authorizer);
        route("/images/{id}", HttpMethod.GET, integration, authorizer);
        // The page itself is public: it holds no data, and with an authorizer its calls carry the user's token.
        route("/", HttpMethod.GET, integration, null);
    }

    private void route(String path, HttpMethod method, HttpLambdaIntegration integration,
                       IHttpRouteAuthorizer authorizer) {
        AddRoutesOptions.Builder r = AddRoutesOptions.builder().path(path).methods(List.of(method))
                .integration(integration);
        if (authorizer != null) {
            r.authorizer(authorizer);
        }
        httpApi.addRoutes(r.build());
    }

    private void grant(PipelineSettings settings, Storage storage) {
        String inputObjects = storage.bucket().arnForObjects(settings.inputPrefix() + "*");
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("PresignUploadsAndKeepTickets")
                // A presigned PUT carries the signer's permissions: uploads under the input prefix. The API also
                // records each upload it hands out at <outputPrefix><id>/_upload.json, and writes nothing else.
                .actions(List.of("s3:PutObject"))
                .resources(List.of(inputObjects,
                        storage.outputBucket().arnForObjects(settings.outputPrefix() + "*/_upload.json")))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("ReadPhotosAndRenditions")
                // Presigned GETs of originals and renditions, the source's ETag, tickets and status documents.
                .actions(List.of("s3:GetObject"))
                .resources(List.of(inputObjects,
                        storage.outputBucket().arnForObjects(settings.outputPrefix() + "*")))
                .build());
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

package io.photopipe.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.photopipe.api.internal.S3ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The Lambda entry point ({@code io.photopipe.api.ApiHandler::handleRequest}) behind an API Gateway HTTP API with
 * <a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html">payload
 * format 2.0</a>. It only translates: the event becomes an {@link HttpRequest} for {@link PhotoApi}, whose
 * {@link HttpResponse} becomes the function's response. Its collaborators are built once per execution environment
 * (and so survive in a SnapStart snapshot).
 */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final PhotoApi api;

    /** Used by Lambda: configuration from the environment ({@link ApiConfig#fromEnv}), S3 from the default chain. */
    public ApiHandler() {
        this(fromEnvironment());
    }

    public ApiHandler(PhotoApi api) {
        this.api = api;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpResponse response = api.handle(toRequest(event));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }

    /**
     * The event as a plain request: method, path below the stage, headers, decoded body, the caller as the
     * authorizer established it, and the API's base URL from {@code requestContext.domainName} (the domain the
     * request reached API Gateway on, always HTTPS) and the stage. The Host header is never used: a link built from
     * it would point wherever the client said.
     */
    static HttpRequest toRequest(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        String method = context != null && context.getHttp() != null ? context.getHttp().getMethod() : "GET";
        String path = event.getRawPath() != null ? event.getRawPath()
                : context != null && context.getHttp() != null ? context.getHttp().getPath() : "/";
        // A named stage (not $default) appears as the first path segment: the routes live below it
        String stagePrefix = "";
        String stage = context == null ? null : context.getStage();
        if (stage != null && !stage.isEmpty() && !stage.equals("$default")
                && (path.equals("/" + stage) || path.startsWith("/" + stage + "/"))) {
            stagePrefix = "/" + stage;
            path = path.substring(stagePrefix.length());
        }
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        String domain = context == null ? null : context.getDomainName();
        String baseUrl = domain == null || domain.isBlank() ? "" : "https://" + domain + stagePrefix;
        return new HttpRequest(method, path, headers, body(event), baseUrl, identity(context));
    }

    /**
     * Who the authorizer says is calling: a JWT authorizer's {@code iss} and {@code sub} claims, IAM
     * authorization's principal ARN, or nobody
     * (<a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html">payload
     * format 2.0</a>, {@code requestContext.authorizer}).
     */
    static Identity identity(APIGatewayV2HTTPEvent.RequestContext context) {
        String sourceIp = context != null && context.getHttp() != null ? context.getHttp().getSourceIp() : "";
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = context == null ? null : context.getAuthorizer();
        if (authorizer != null && authorizer.getJwt() != null && authorizer.getJwt().getClaims() != null) {
            Map<String, String> claims = authorizer.getJwt().getClaims();
            String subject = claims.get("sub");
            if (subject != null && !subject.isBlank()) {
                return Identity.jwt(claims.get("iss"), subject, sourceIp);
            }
        }
        if (authorizer != null && authorizer.getIam() != null && authorizer.getIam().getUserArn() != null
                && !authorizer.getIam().getUserArn().isBlank()) {
            return Identity.iam(authorizer.getIam().getUserArn(), sourceIp);
        }
        return Identity.anonymous(sourceIp);
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        if (event.getBody() == null) {
            return "";
        }
        return event.getIsBase64Encoded()
                ? new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8)
                : event.getBody();
    }

    private static PhotoApi fromEnvironment() {
        ApiConfig config = ApiConfig.fromEnv(System::getenv);
        S3ClientBuilder s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create());
        S3Presigner.Builder presigner = S3Presigner.builder();
        if (config.s3Endpoint() != null) {
            // Local S3 servers answer on one host name: path-style URLs, never bucket subdomains
            s3.endpointOverride(config.s3Endpoint()).forcePathStyle(true);
            presigner.endpointOverride(config.s3Endpoint())
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        }
        PhotoApi api = new PhotoApi(config, new S3ObjectStore(s3.build(), presigner.build()));
        api.prime();
        return api;
    }
}

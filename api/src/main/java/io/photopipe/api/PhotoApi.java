package io.photopipe.api;

import io.photopipe.api.internal.Json;
import io.photopipe.core.ApiAuth;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole API as a plain function from {@link HttpRequest} to {@link HttpResponse}: routing, CORS, errors as
 * {@code {"code", "message"}} JSON, and the upload page. Knows nothing of Lambda; {@link ApiHandler} adapts it.
 *
 * <ul>
 *   <li>{@code POST /uploads} - 201 with a presigned upload ({@link Uploads})</li>
 *   <li>{@code GET /images/{id}} - 200 pending, ready or failed ({@link ImageStatuses})</li>
 *   <li>{@code GET /} - the upload page</li>
 *   <li>{@code OPTIONS *} - CORS preflight</li>
 * </ul>
 */
public final class PhotoApi {
    private static final Logger LOG = LoggerFactory.getLogger(PhotoApi.class);
    private static final String IMAGES = "/images/";
    /** The page is self-contained: inline script and style, images and uploads wherever S3 is, nothing else. */
    private static final String PAGE_POLICY = "default-src 'none'; script-src 'unsafe-inline'; "
            + "style-src 'unsafe-inline'; img-src http: https: data: blob:; connect-src http: https:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final ApiConfig config;
    private final Uploads uploads;
    private final ImageStatuses statuses;
    private final String page;

    /** An API with the system clock and a {@link SecureRandom} for ids. */
    public PhotoApi(ApiConfig config, ObjectStore store) {
        this(config, store, Clock.systemUTC(), new SecureRandom());
    }

    public PhotoApi(ApiConfig config, ObjectStore store, Clock clock, RandomGenerator random) {
        this.config = config;
        this.uploads = new Uploads(config, store, clock, random);
        this.statuses = new ImageStatuses(config, store, clock);
        this.page = loadPage().replace("{{limits}}", escapeHtml(limits(config)));
    }

    /**
     * Runs the code paths of a request once (presigning, JSON both ways, routing, one S3 read of a key that does not
     * exist), so their classes load during Init, where Lambda SnapStart snapshots them, instead of in the first
     * user's request. See
     * <a href="https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html">SnapStart best practices</a>
     * (priming). Nothing is written anywhere; a failure (no network at Init) is ignored.
     */
    public void prime() {
        uploads.prime();
        handle(new HttpRequest("POST", "/uploads", Map.of(), "{}", ""));
        handle(new HttpRequest("GET", "/images/not-an-id", Map.of("Origin", "https://example.com"), "", ""));
        handle(new HttpRequest("OPTIONS", "/uploads", Map.of("Origin", "https://example.com"), "", ""));
    }

    /** Answers one request; never throws (unexpected failures become 500 {@code internal-error}). */
    public HttpResponse handle(HttpRequest request) {
        HttpResponse response;
        try {
            response = route(request);
        } catch (ApiException e) {
            response = error(e.error(), e.getMessage());
            for (Map.Entry<String, String> header : e.headers().entrySet()) {
                response = response.withHeader(header.getKey(), header.getValue());
            }
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", request.method(), request.path(), e);
            response = error(ApiError.INTERNAL, "something went wrong on our side (" + e.getClass().getSimpleName()
                    + "); try again, and report it if it persists");
        }
        return withCors(request, response);
    }

    private HttpResponse route(HttpRequest request) {
        String method = request.method();
        String path = request.path();
        if (method.equals("OPTIONS")) {
            return preflight(request);
        }
        if (path.equals("/") || path.equals("/index.html")) {
            requireMethod(method, "GET", "GET, HEAD", "HEAD");
            return new HttpResponse(200, Map.of("Content-Type", "text/html; charset=utf-8",
                    "Content-Security-Policy", PAGE_POLICY, "Cache-Control", "no-cache",
                    "X-Content-Type-Options", "nosniff"), method.equals("HEAD") ? "" : page);
        }
        if (path.equals("/uploads")) {
            requireMethod(method, "POST", "POST");
            Uploads.Created created = uploads.create(request.body(), baseUrl(request), caller(request));
            return json(201, created).withHeader("Location", created.statusUrl());
        }
        if (path.startsWith(IMAGES) && path.indexOf('/', IMAGES.length()) < 0 && path.length() > IMAGES.length()) {
            requireMethod(method, "GET", "GET");
            return json(200, statuses.lookup(path.substring(IMAGES.length()), caller(request)));
        }
        throw new ApiException(ApiError.NOT_FOUND, "no route " + method + " " + Uploads.printable(path)
                + "; the API has POST /uploads, GET /images/{id} and the page at GET /");
    }

    /**
     * The caller as the configured authorization requires it. Without authorization every caller is anonymous (an
     * identity in the event would mean nothing); with it, a request without that identity is refused, so a route
     * that lost its authorizer fails closed instead of answering anonymously.
     */
    private Identity caller(HttpRequest request) {
        Identity identity = request.identity();
        if (config.auth() == ApiAuth.NONE) {
            return Identity.anonymous(identity.sourceIp());
        }
        if (identity.kind() != config.auth()) {
            throw new ApiException(ApiError.UNAUTHENTICATED, "this API needs " + (config.auth() == ApiAuth.IAM
                    ? "SigV4-signed requests of an IAM principal allowed execute-api:Invoke"
                    : "an Authorization: Bearer <token> from its OpenID Connect issuer")
                    + "; the request carried no such identity", Map.of("WWW-Authenticate",
                    config.auth() == ApiAuth.IAM ? "AWS4-HMAC-SHA256" : "Bearer"));
        }
        return identity;
    }

    /** Links start with the configured public base URL, else with the domain API Gateway reports; never Host. */
    private String baseUrl(HttpRequest request) {
        return config.apiBaseUrl().isEmpty() ? request.baseUrl() : config.apiBaseUrl();
    }

    private static void requireMethod(String method, String expected, String allow, String... alsoAllowed) {
        if (method.equals(expected) || Arrays.asList(alsoAllowed).contains(method)) {
            return;
        }
        // A 405 names the methods that would work (RFC 9110, section 15.5.6)
        throw new ApiException(ApiError.METHOD_NOT_ALLOWED, method + " is not allowed here; use " + allow,
                Map.of("Allow", allow));
    }

    private HttpResponse preflight(HttpRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        request.header("Origin").filter(this::allowed).ifPresent(origin -> {
            headers.put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            // Authorization: for the JWT authorizer the API may sit behind on AWS
            headers.put("Access-Control-Allow-Headers", "Content-Type, Authorization");
            headers.put("Access-Control-Max-Age", "600");
        });
        return new HttpResponse(204, headers, "");
    }

    private HttpResponse withCors(HttpRequest request, HttpResponse response) {
        String origin = request.header("Origin").orElse(null);
        if (origin == null || !allowed(origin)) {
            return config.corsOrigins().contains("*") || config.corsOrigins().isEmpty()
                    ? response : response.withHeader("Vary", "Origin");
        }
        HttpResponse out = response;
        if (config.corsOrigins().contains("*")) {
            out = out.withHeader("Access-Control-Allow-Origin", "*");
        } else {
            out = out.withHeader("Access-Control-Allow-Origin", origin).withHeader("Vary", "Origin");
        }
        return out.withHeader("Access-Control-Expose-Headers", "Location");
    }

    private boolean allowed(String origin) {
        return config.corsOrigins().contains("*") || config.corsOrigins().contains(origin);
    }

    private static HttpResponse json(int status, Object body) {
        return new HttpResponse(status, Map.of("Content-Type", "application/json", "Cache-Control", "no-store"),
                Json.write(body));
    }

    private static HttpResponse error(ApiError error, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", error.code());
        body.put("message", message);
        return json(error.status(), body);
    }

    /** What the page says is accepted, e.g. "JPEG, PNG or WebP, up to 50 MB each". */
    static String limits(ApiConfig config) {
        List<String> names = config.allowedContentTypes().stream().map(type -> {
            String subtype = type.substring(type.indexOf('/') + 1);
            return switch (subtype) {
                case "webp" -> "WebP";
                case "x-icon", "vnd.microsoft.icon" -> "ICO";
                default -> subtype.replaceFirst("^x-", "").toUpperCase(Locale.ROOT);
            };
        }).distinct().toList();
        String list = names.size() == 1 ? names.getFirst()
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
        long mb = config.maxUploadBytes() / (1024 * 1024);
        String size = mb >= 1 ? mb + " MB" : (config.maxUploadBytes() / 1024) + " KB";
        return list + ", up to " + size + " each";
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String loadPage() {
        try (InputStream in = PhotoApi.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("index.html is missing from the API jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

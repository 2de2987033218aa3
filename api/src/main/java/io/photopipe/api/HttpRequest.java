package io.photopipe.api;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as the API sees it, independent of Lambda.
 *
 * @param method  upper-case method
 * @param path    the path below the API's base (stage prefix removed), starting with '/'
 * @param headers header values by lower-case name
 * @param body    the decoded body, "" when there is none
 * @param baseUrl  the absolute URL of the API's root as API Gateway reports it ({@code requestContext.domainName} and
 *                 the stage), without a trailing '/', or "" when unknown; never taken from the Host header
 * @param identity who is calling, as the authorizer established it
 */
public record HttpRequest(String method, String path, Map<String, String> headers, String body, String baseUrl,
                          Identity identity) {

    /** An anonymous request from nowhere in particular (tests, priming). */
    public HttpRequest(String method, String path, Map<String, String> headers, String body, String baseUrl) {
        this(method, path, headers, body, baseUrl, Identity.anonymous(""));
    }

    public HttpRequest {
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        path = path == null || path.isEmpty() ? "/" : path;
        TreeMap<String, String> lower = new TreeMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name != null && value != null) {
                    lower.put(name.toLowerCase(Locale.ROOT), value);
                }
            });
        }
        headers = java.util.Collections.unmodifiableMap(lower);
        body = body == null ? "" : body;
        baseUrl = baseUrl == null ? "" : baseUrl;
        identity = identity == null ? Identity.anonymous("") : identity;
    }

    /** A header's value, by case-insensitive name. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}

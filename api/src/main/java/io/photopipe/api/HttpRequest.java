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
 * @param baseUrl the absolute URL of the API's root, without a trailing '/' (for links such as the status URL)
 */
public record HttpRequest(String method, String path, Map<String, String> headers, String body, String baseUrl) {

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
    }

    /** A header's value, by case-insensitive name. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}

package io.photopipe.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP response as the API produces it, independent of Lambda.
 *
 * @param status  the HTTP status code
 * @param headers header values by name, in the order they were added
 * @param body    the body text, "" for none
 */
public record HttpResponse(int status, Map<String, String> headers, String body) {

    public HttpResponse {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? "" : body;
    }

    /** This response with one more header (replacing one of the same name). */
    public HttpResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpResponse(status, copy, body);
    }

    /** A header's value by case-insensitive name, or null. */
    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}

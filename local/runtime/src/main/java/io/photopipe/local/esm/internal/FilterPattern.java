package io.photopipe.local.esm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A Lambda event filter pattern, matched against an SQS record as Lambda sees it (with {@code body} parsed as JSON
 * when it is JSON), following
 * <a href="https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html">Lambda event filtering</a>:
 * fields AND together, the values listed for a field OR together, an array in the event matches when any element
 * does. Supported comparison operators: exact values (string, number, boolean, null), {@code prefix},
 * {@code suffix}, {@code equals-ignore-case}, {@code anything-but} (a value, a list, or {@code {"prefix":...}}),
 * {@code exists}, and {@code numeric} ranges.
 */
public final class FilterPattern {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String source;
    private final ObjectNode pattern;

    private FilterPattern(String source, ObjectNode pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /** Parses and checks a pattern; the message says what is wrong. */
    public static FilterPattern parse(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("FilterCriteria: pattern is not valid JSON: " + json);
        }
        if (n == null || !n.isObject() || n.isEmpty()) {
            throw new IllegalArgumentException("FilterCriteria: a pattern must be a non-empty JSON object: " + json);
        }
        check((ObjectNode) n, json);
        return new FilterPattern(json, (ObjectNode) n);
    }

    /** The pattern's text. */
    public String source() {
        return source;
    }

    /** Whether the record (the SQS record JSON, body still a string) matches. */
    public boolean matches(ObjectNode record) {
        return matchObject(pattern, withParsedBody(record));
    }

    /** Whether any of the patterns matches (Lambda ORs the filters of a mapping). */
    public static boolean anyMatches(List<FilterPattern> patterns, ObjectNode record) {
        if (patterns.isEmpty()) {
            return true;
        }
        ObjectNode view = withParsedBody(record);
        return patterns.stream().anyMatch(p -> matchObject(p.pattern, view));
    }

    private static ObjectNode withParsedBody(ObjectNode record) {
        JsonNode body = record.get("body");
        if (body == null || !body.isTextual()) {
            return record;
        }
        String text = body.asText().strip();
        if (!(text.startsWith("{") || text.startsWith("["))) {
            return record;
        }
        try {
            JsonNode parsed = JSON.readTree(text);
            ObjectNode copy = record.deepCopy();
            copy.set("body", parsed);
            return copy;
        } catch (Exception e) {
            return record; // a plain-text body: only plain string patterns on "body" can match it
        }
    }

    private static boolean matchObject(ObjectNode pattern, JsonNode event) {
        for (Map.Entry<String, JsonNode> e : pattern.properties()) {
            JsonNode value = event == null || !event.isObject() ? null : event.get(e.getKey());
            JsonNode p = e.getValue();
            boolean ok = p.isObject() ? value != null && value.isObject() && matchObject((ObjectNode) p, value)
                    : matchValues(p, value);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchValues(JsonNode alternatives, JsonNode value) {
        for (JsonNode alt : alternatives) {
            if (alt.isObject() && alt.has("exists")) {
                if (alt.get("exists").asBoolean() == (value != null)) {
                    return true;
                }
                continue;
            }
            if (value == null) {
                continue;
            }
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (matchOne(alt, element)) {
                        return true;
                    }
                }
            } else if (matchOne(alt, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchOne(JsonNode alt, JsonNode value) {
        if (!alt.isObject()) {
            return equal(alt, value);
        }
        String op = alt.fieldNames().next();
        JsonNode arg = alt.get(op);
        return switch (op) {
            case "prefix" -> value.isTextual() && (arg.isObject() && arg.has("equals-ignore-case")
                    ? value.asText().toLowerCase().startsWith(arg.get("equals-ignore-case").asText().toLowerCase())
                    : value.asText().startsWith(arg.asText()));
            case "suffix" -> value.isTextual() && (arg.isObject() && arg.has("equals-ignore-case")
                    ? value.asText().toLowerCase().endsWith(arg.get("equals-ignore-case").asText().toLowerCase())
                    : value.asText().endsWith(arg.asText()));
            case "equals-ignore-case" -> value.isTextual() && value.asText().equalsIgnoreCase(arg.asText());
            case "anything-but" -> anythingBut(arg, value);
            case "numeric" -> value.isNumber() && numeric(arg, value.asDouble());
            default -> false;
        };
    }

    private static boolean anythingBut(JsonNode arg, JsonNode value) {
        if (arg.isArray()) {
            for (JsonNode a : arg) {
                if (equal(a, value)) {
                    return false;
                }
            }
            return true;
        }
        if (arg.isObject() && arg.has("prefix")) {
            return !(value.isTextual() && value.asText().startsWith(arg.get("prefix").asText()));
        }
        if (arg.isObject() && arg.has("suffix")) {
            return !(value.isTextual() && value.asText().endsWith(arg.get("suffix").asText()));
        }
        return !equal(arg, value);
    }

    private static boolean numeric(JsonNode ops, double v) {
        for (int i = 0; i + 1 < ops.size(); i += 2) {
            double bound = ops.get(i + 1).asDouble();
            boolean ok = switch (ops.get(i).asText()) {
                case "=" -> v == bound;
                case "<" -> v < bound;
                case "<=" -> v <= bound;
                case ">" -> v > bound;
                case ">=" -> v >= bound;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean equal(JsonNode p, JsonNode v) {
        if (p.isNull()) {
            return v.isNull();
        }
        if (p.isNumber() && v.isNumber()) {
            return p.asDouble() == v.asDouble();
        }
        if (p.isTextual() && v.isTextual()) {
            return p.asText().equals(v.asText());
        }
        if (p.isBoolean() && v.isBoolean()) {
            return p.asBoolean() == v.asBoolean();
        }
        return false;
    }

    private static void check(ObjectNode pattern, String source) {
        for (Map.Entry<String, JsonNode> e : pattern.properties()) {
            JsonNode v = e.getValue();
            if (v.isObject()) {
                check((ObjectNode) v, source);
            } else if (!v.isArray() || v.isEmpty()) {
                throw new IllegalArgumentException("FilterCriteria: the value of '" + e.getKey()
                        + "' must be a non-empty array of matches or a nested object: " + source);
            } else {
                for (JsonNode alt : v) {
                    if (alt.isObject()) {
                        if (alt.size() != 1) {
                            throw new IllegalArgumentException("FilterCriteria: a comparison must have exactly one"
                                    + " operator: " + alt + " in " + source);
                        }
                        String op = alt.fieldNames().next();
                        if (!List.of("prefix", "suffix", "equals-ignore-case", "anything-but", "exists", "numeric")
                                .contains(op)) {
                            throw new IllegalArgumentException("FilterCriteria: unsupported operator '" + op
                                    + "' in " + source);
                        }
                        if (op.equals("numeric") && (!alt.get(op).isArray() || alt.get(op).size() % 2 != 0)) {
                            throw new IllegalArgumentException("FilterCriteria: numeric needs operator/value pairs,"
                                    + " e.g. [\">\", 0, \"<=\", 5]: " + source);
                        }
                    }
                }
            }
        }
    }
}

package io.photopipe.local.esm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a function's partial batch response ({@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}}) with
 * Lambda's rules from
 * <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting">Implementing
 * partial batch responses</a>: an empty or null {@code batchItemFailures}, an empty or null response is a complete
 * success; invalid JSON, an empty or null {@code itemIdentifier}, a bad key name, or an id not in the batch is a
 * complete failure.
 */
public final class BatchItemFailures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchItemFailures() {
    }

    /**
     * The ids that failed, or empty when the whole batch is to be treated as failed.
     *
     * @param reason receives why the batch failed as a whole (for the log)
     */
    public static Optional<Set<String>> parse(byte[] response, Set<String> batchIds, StringBuilder reason) {
        JsonNode root;
        try {
            root = response == null || response.length == 0 ? null : JSON.readTree(response);
        } catch (Exception e) {
            reason.append("the response is not valid JSON");
            return Optional.empty();
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return Optional.of(Set.of()); // null EventResponse: success
        }
        if (!root.isObject()) {
            reason.append("the response is not a batch response object: ").append(abbreviate(root.toString()));
            return Optional.empty();
        }
        JsonNode list = root.get("batchItemFailures");
        if (list == null || list.isNull()) {
            return Optional.of(Set.of()); // empty EventResponse or null list: success
        }
        if (!list.isArray()) {
            reason.append("batchItemFailures is not a list");
            return Optional.empty();
        }
        Set<String> failed = new HashSet<>();
        for (JsonNode item : list) {
            JsonNode id = item.isObject() ? item.get("itemIdentifier") : null;
            if (id == null || id.isNull() || !id.isTextual() || id.asText().isEmpty()) {
                reason.append("an item has no itemIdentifier (null, empty or a bad key name): ").append(item);
                return Optional.empty();
            }
            if (!batchIds.contains(id.asText())) {
                reason.append("itemIdentifier '").append(id.asText()).append("' is not a message of this batch");
                return Optional.empty();
            }
            failed.add(id.asText());
        }
        return Optional.of(failed);
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}

package io.photopipe.worker.messages;

import java.util.List;

/** What one SQS message body turned out to be. */
public sealed interface ParsedMessage {

    /**
     * Events about photos (one or more: an S3 notification may carry several records).
     *
     * @param shape  which message shape carried them ({@code s3}, {@code sns+s3}, {@code eventbridge}, ...), for logs
     * @param events at least one event
     */
    record Photos(String shape, List<PhotoEvent> events) implements ParsedMessage {
        public Photos {
            events = List.copyOf(events);
            if (events.isEmpty()) {
                throw new IllegalArgumentException("a Photos message has at least one event");
            }
        }
    }

    /**
     * A valid message that asks for nothing: the {@code s3:TestEvent} S3 sends when a notification configuration is
     * saved, or an event type the worker does not act on (restore, tagging, ...). Acknowledged.
     *
     * @param code   stable reason code, e.g. {@code test-event}
     * @param reason readable explanation
     */
    record Ignored(String code, String reason) implements ParsedMessage {
    }

    /**
     * Not a message the worker can understand (not JSON, unknown shape, missing bucket or key). Retrying cannot
     * help, so it goes to the DLQ with the reason.
     *
     * @param reason what is wrong, with the start of the body
     */
    record Malformed(String reason) implements ParsedMessage {
        /** The reason code used for malformed messages. */
        public static final String CODE = "malformed-message";
    }
}

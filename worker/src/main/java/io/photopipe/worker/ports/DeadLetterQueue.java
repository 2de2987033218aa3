package io.photopipe.worker.ports;

import java.util.Map;

/** Where messages that can never succeed go, with the reason in their attributes. */
public interface DeadLetterQueue {

    /**
     * Sends a copy of a message.
     *
     * @param body       the original body, unchanged (so a redrive sends exactly what S3 sent)
     * @param attributes string message attributes (the reason, the object, the original message id, ...)
     * @return the copy's message id in the DLQ
     * @throws PortException when the copy could not be sent; the caller must then not acknowledge the original
     */
    String send(String body, Map<String, String> attributes);
}

package io.photopipe.api;

import io.photopipe.core.OutputLayout;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upload tickets ({@link UploadTicket}): written when an upload is handed out, found again only by the caller who
 * owns it. A ticket expires a day after it was written; by then an arrived photo answers for itself: its key is the
 * one object under {@code <inputPrefix><id>/}, and its owner was signed into the upload as user metadata
 * ({@link UploadTicket#OWNER_METADATA}), so the client could not choose it.
 *
 * <p>Someone else's id is answered exactly like an unknown one (404 {@code image-not-found}), not with 403: a 403
 * would confirm that the id, perhaps seen in a log or a shared link, names a live photo.
 */
final class Tickets {
    private final ApiConfig config;
    private final ObjectStore store;

    Tickets(ApiConfig config, ObjectStore store) {
        this.config = config;
        this.store = store;
    }

    /**
     * Writes a ticket unless its id is taken.
     *
     * @return false when a ticket with that id exists (nothing was written)
     */
    boolean create(UploadTicket ticket) {
        return store.createText(config.outputBucket(), UploadTicket.keyFor(config, new ImageId(ticket.id())),
                "application/json", ticket.toJson(),
                Map.of(OutputLayout.EXPIRING_TAG, OutputLayout.EXPIRING_TAG_VALUE));
    }

    /** The user metadata that records the owner on the photo itself (none for an anonymous upload). */
    static Map<String, String> ownerMetadata(Identity owner) {
        return owner.isAnonymous() ? Map.of()
                : Map.of(UploadTicket.OWNER_METADATA, URLEncoder.encode(owner.owner(), StandardCharsets.UTF_8));
    }

    /** The upload of {@code id} if {@code caller} owns it: from its ticket, or once that expired, from the photo. */
    Optional<UploadTicket> find(ImageId id, Identity caller) {
        Optional<UploadTicket> ticket = store.readText(config.outputBucket(), UploadTicket.keyFor(config, id))
                .map(UploadTicket::fromJson);
        if (ticket.isPresent()) {
            return ticket.filter(t -> t.owner().equals(caller.owner()));
        }
        // Keys are <inputPrefix><id>/<safe name>: the API never hands out a second key for an id
        List<String> keys = store.listKeys(config.bucket(), config.inputPrefix() + id.value() + "/", null, 1);
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        String key = keys.getFirst();
        return store.head(config.bucket(), key).flatMap(head -> {
            String owner = URLDecoder.decode(head.metadata().getOrDefault(UploadTicket.OWNER_METADATA, ""),
                    StandardCharsets.UTF_8);
            if (!owner.equals(caller.owner())) {
                return Optional.empty();
            }
            return Optional.of(new UploadTicket(id.value(), config.bucket(), key,
                    key.substring(key.lastIndexOf('/') + 1), head.contentType(), head.size(), id.createdAt(), null,
                    owner));
        });
    }
}

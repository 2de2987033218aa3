package io.photopipe.local.notify;

import java.util.List;

/**
 * The event types the local S3 emits, named as in
 * <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html">Event
 * notification types and destinations</a> (without the {@code s3:} prefix, as they appear in a record's
 * {@code eventName}).
 */
public final class S3EventNames {
    public static final String PUT = "ObjectCreated:Put";
    public static final String POST = "ObjectCreated:Post";
    public static final String COPY = "ObjectCreated:Copy";
    public static final String COMPLETE_MULTIPART_UPLOAD = "ObjectCreated:CompleteMultipartUpload";
    public static final String DELETE = "ObjectRemoved:Delete";

    /** Every type a configuration may name here, with the {@code s3:} prefix, including the wildcards. */
    public static final List<String> CONFIGURABLE = List.of("s3:ObjectCreated:*", "s3:ObjectCreated:Put",
            "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload",
            "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated");

    private S3EventNames() {
    }
}

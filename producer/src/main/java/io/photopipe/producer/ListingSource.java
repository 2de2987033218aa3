package io.photopipe.producer;

import java.util.Iterator;
import java.util.Objects;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects under a prefix, from ListObjectsV2 pages of 1,000, fetched as the iterator advances. S3 lists keys in
 * UTF-8 binary order, so a key is its own cursor and {@code StartAfter} resumes after it
 * (<a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html">ListObjectsV2</a>).
 */
public final class ListingSource implements KeySource {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public ListingSource(S3Client s3, String bucket, String prefix) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.prefix = prefix == null ? "" : prefix;
    }

    @Override
    public Iterator<ObjectRef> open(String afterCursor) {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).maxKeys(1000);
        if (afterCursor != null) {
            request.startAfter(afterCursor);
        }
        Iterator<S3Object> objects = s3.listObjectsV2Paginator(request.build()).contents().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return objects.hasNext();
            }

            @Override
            public ObjectRef next() {
                S3Object o = objects.next();
                return new ObjectRef(bucket, o.key(), o.size() == null ? 0 : o.size(), stripQuotes(o.eTag()),
                        o.lastModified(), o.key());
            }
        };
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    static String stripQuotes(String eTag) {
        return io.photopipe.core.S3EventMessages.stripQuotes(eTag);
    }
}

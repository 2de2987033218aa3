package io.photopipe.api.internal;

import io.photopipe.api.ObjectStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/** {@link ObjectStore} on Amazon S3 (or anything that speaks its API). */
public final class S3ObjectStore implements ObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);
    private final S3Client s3;
    private final S3Presigner presigner;
    private volatile boolean tagging = true;

    public S3ObjectStore(S3Client s3, S3Presigner presigner) {
        this.s3 = s3;
        this.presigner = presigner;
    }

    @Override
    public Optional<String> readText(String bucket, String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<Head> head(String bucket, String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            Map<String, String> metadata = new TreeMap<>();
            head.metadata().forEach((name, value) -> metadata.put(name.toLowerCase(Locale.ROOT), value));
            return Optional.of(new Head(unquote(head.eTag()), head.contentType(),
                    head.contentLength() == null ? -1 : head.contentLength(), metadata));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            // HEAD has no body, so a missing key arrives as a bare 404 rather than NoSuchKey
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<String> listKeys(String bucket, String prefix, String startAfter, int max) {
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)
                        .startAfter(startAfter == null || startAfter.isEmpty() ? null : startAfter).maxKeys(max))
                .contents()
                .stream().map(S3Object::key).toList();
    }

    @Override
    public boolean createText(String bucket, String key, String contentType, String text, Map<String, String> tags) {
        try {
            // Conditional write: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
            s3.putObject(b -> {
                b.bucket(bucket).key(key).contentType(contentType).ifNoneMatch("*");
                if (tagging && !tags.isEmpty()) {
                    b.tagging(Tagging.builder().tagSet(tags.entrySet().stream()
                            .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList()).build());
                }
            }, RequestBody.fromString(text, StandardCharsets.UTF_8));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return false;
            }
            if (e.statusCode() == 501 && tagging && !tags.isEmpty()) {
                // An S3 server without object tagging (the local S3Proxy answers 501 NotImplemented) has no
                // lifecycle rules to read tags either: write untagged from now on
                tagging = false;
                LOG.info("this S3 server does not support object tags ({}); records are written untagged",
                        e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode());
                return createText(bucket, key, contentType, text, tags);
            }
            throw e;
        }
    }

    @Override
    public PresignedUpload presignPut(String bucket, String key, String contentType, long contentLength,
                                      Map<String, String> metadata, Duration expiry) {
        // Signing Content-Type and Content-Length makes S3 itself refuse any other type or size with 403
        // SignatureDoesNotMatch: https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html
        // The signed If-None-Match: * makes it a conditional write that succeeds once: a replay of the URL (or any
        // second PUT to the key) gets 412 PreconditionFailed and creates no event
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
        PresignedPutObjectRequest presigned = presigner.presignPutObject(p -> p.signatureDuration(expiry)
                .putObjectRequest(r -> r.bucket(bucket).key(key).contentType(contentType)
                        .contentLength(contentLength).metadata(metadata).ifNoneMatch("*")));
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        presigned.signedHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            // Every client derives these two from the URL and the body; browsers forbid scripts to set them
            if (!lower.equals("host") && !lower.equals("content-length")) {
                headers.put(canonical(name), String.join(",", values));
            }
        });
        return new PresignedUpload(URI.create(presigned.url().toString()), headers, presigned.expiration());
    }

    @Override
    public URI presignGet(String bucket, String key, Duration expiry) {
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(expiry)
                .getObjectRequest(r -> r.bucket(bucket).key(key))).url().toString());
    }

    private static String unquote(String eTag) {
        return eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                ? eTag.substring(1, eTag.length() - 1) : eTag;
    }

    /** "content-type" -> "Content-Type", as HTTP documentation and clients usually write it. */
    private static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        String s = out.toString();
        return s.startsWith("X-Amz-") ? s.toLowerCase(Locale.ROOT) : s;
    }
}

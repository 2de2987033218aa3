package io.photopipe.api.internal;

import io.photopipe.api.ObjectStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/** {@link ObjectStore} on Amazon S3 (or anything that speaks its API). */
public final class S3ObjectStore implements ObjectStore {
    private final S3Client s3;
    private final S3Presigner presigner;

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
    public Optional<String> eTag(String bucket, String key) {
        try {
            return Optional.of(unquote(s3.headObject(b -> b.bucket(bucket).key(key)).eTag()));
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
    public boolean createText(String bucket, String key, String contentType, String text) {
        try {
            // Conditional write: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).ifNoneMatch("*"),
                    RequestBody.fromString(text, StandardCharsets.UTF_8));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public PresignedUpload presignPut(String bucket, String key, String contentType, long contentLength,
                                      Duration expiry) {
        // Signing Content-Type and Content-Length makes S3 itself refuse any other type or size with 403
        // SignatureDoesNotMatch: https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html
        PresignedPutObjectRequest presigned = presigner.presignPutObject(p -> p.signatureDuration(expiry)
                .putObjectRequest(r -> r.bucket(bucket).key(key).contentType(contentType)
                        .contentLength(contentLength)));
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

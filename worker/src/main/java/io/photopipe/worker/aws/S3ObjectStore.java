package io.photopipe.worker.aws;

import io.photopipe.worker.ports.ObjectStore;
import io.photopipe.worker.ports.PortException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} on S3. Reads (GET, HEAD, LIST) go through one {@link CallGuard} and writes (PUT, DELETE)
 * through another: S3 limits and throttles the two request classes separately (per prefix, 5,500 GET/HEAD and 3,500
 * PUT/COPY/POST/DELETE requests per second, https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html),
 * so failing writes need not stop the reads that find photos already up to date, and the other way round.
 */
public final class S3ObjectStore implements ObjectStore {
    private static final int DELETE_BATCH = 1000; // DeleteObjects' limit

    private final S3Client s3;
    private final CallGuard reads;
    private final CallGuard writes;

    public S3ObjectStore(S3Client s3, CallGuard reads, CallGuard writes) {
        this.s3 = s3;
        this.reads = reads;
        this.writes = writes;
    }

    @Override
    public Fetched get(String bucket, String key, String ifMatch, long maxBytes) {
        return reads.call("GET s3://" + bucket + "/" + key, () -> {
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key)
                    .ifMatch(ifMatch == null ? null : "\"" + ifMatch + "\""))) {
                GetObjectResponse r = in.response();
                if (r.contentLength() != null && r.contentLength() > maxBytes) {
                    in.abort(); // do not drain a huge body just to close the connection politely
                    return new TooLarge(r.contentLength());
                }
                byte[] bytes = in.readAllBytes();
                return new Found(bytes, unquote(r.eTag()), r.contentType());
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return new Missing();
                }
                if (e.statusCode() == 412) {
                    return new ETagChanged();
                }
                throw e;
            } catch (IOException e) {
                // The body broke off mid-read: retryable like any connection failure.
                throw SdkClientException.create("reading s3://" + bucket + "/" + key + " failed: " + e, e);
            }
        });
    }

    @Override
    public Optional<String> getText(String bucket, String key) {
        return getVersioned(bucket, key).map(Versioned::text);
    }

    @Override
    public Optional<Versioned> getVersioned(String bucket, String key) {
        return reads.call("GET s3://" + bucket + "/" + key, () -> {
            try {
                ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
                return Optional.of(new Versioned(bytes.asString(StandardCharsets.UTF_8),
                        unquote(bytes.response().eTag())));
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public boolean exists(String bucket, String key) {
        return head(bucket, key).isPresent();
    }

    @Override
    public Optional<Map<String, String>> metadata(String bucket, String key) {
        return head(bucket, key).map(HeadObjectResponse::metadata);
    }

    private Optional<HeadObjectResponse> head(String bucket, String key) {
        return reads.call("HEAD s3://" + bucket + "/" + key, () -> {
            try {
                return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public void put(String bucket, String key, byte[] bytes, String contentType, String cacheControl,
                    Map<String, String> metadata) {
        writes.run("PUT s3://" + bucket + "/" + key, () -> s3.putObject(b -> b.bucket(bucket).key(key)
                .contentType(contentType).cacheControl(cacheControl).metadata(metadata)
                .contentLength((long) bytes.length), RequestBody.fromBytes(bytes)));
    }

    @Override
    public Optional<String> putIfUnchanged(String bucket, String key, byte[] bytes, String contentType,
                                           String expectedETag) {
        return writes.call("conditional PUT s3://" + bucket + "/" + key, () -> {
            try {
                return Optional.of(unquote(s3.putObject(b -> {
                    b.bucket(bucket).key(key).contentType(contentType).cacheControl("no-cache")
                            .contentLength((long) bytes.length);
                    if (expectedETag == null) {
                        b.ifNoneMatch("*");
                    } else {
                        b.ifMatch("\"" + expectedETag + "\"");
                    }
                }, RequestBody.fromBytes(bytes)).eTag()));
            } catch (S3Exception e) {
                // 412: it changed (or appeared) since it was read; 409: a concurrent conditional write won
                if (e.statusCode() == 412 || e.statusCode() == 409) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public List<String> list(String bucket, String prefix) {
        return reads.call("LIST s3://" + bucket + "/" + prefix, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket)
                .prefix(prefix)).contents().stream().map(S3Object::key).toList());
    }

    @Override
    public void delete(String bucket, List<String> keys) {
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> ids = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            DeleteObjectsResponse r = writes.call("DELETE " + ids.size() + " objects in s3://" + bucket,
                    () -> s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true)
                            .build())));
            if (r.hasErrors() && !r.errors().isEmpty()) {
                List<String> failed = new ArrayList<>();
                r.errors().forEach(e -> failed.add(e.key() + " (" + e.code() + ")"));
                throw new PortException(PortException.S3_UNAVAILABLE, "could not delete from s3://" + bucket + ": "
                        + failed, null);
            }
        }
    }

    private static String unquote(String eTag) {
        return eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                ? eTag.substring(1, eTag.length() - 1) : eTag;
    }
}

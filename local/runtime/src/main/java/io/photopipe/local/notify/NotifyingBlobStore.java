package io.photopipe.local.notify;

import io.photopipe.core.S3EventMessages;
import java.io.InputStream;
import java.util.Objects;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Wraps S3Proxy's blob store and reports every object created or removed to an {@link S3EventListener}, after the
 * operation succeeded and before S3Proxy answers the client (so a client that saw 200 can rely on the event being
 * recorded). It extends {@link ForwardingBlobStore} rather than implementing {@link BlobStore}, because S3Proxy
 * unwraps {@code delegate()} to pick the backend's quirks.
 *
 * <p>Which operation created an object: {@code putBlob} serves both PUT Object and browser POST Object, told apart
 * by whether S3Proxy's POST handler is on the stack; {@code copyBlob} is CopyObject; {@code completeMultipartUpload}
 * is CompleteMultipartUpload. DeleteObjects (multi-object delete) reaches us key by key through {@code removeBlob}.
 */
public final class NotifyingBlobStore extends ForwardingBlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyingBlobStore.class);
    /** Placeholder objects S3Proxy may write for multipart uploads on some backends: not user objects. */
    static final String MPU_STUB_PREFIX = ".s3proxy-mpu-stub-";
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final S3EventListener listener;

    public NotifyingBlobStore(BlobStore delegate, S3EventListener listener) {
        super(delegate);
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        PutObjectResponse response = super.putBlob(request, input);
        if (!isStub(request.key())) {
            String eTag = S3EventMessages.stripQuotes(response.eTag());
            String event = viaPostObject() ? S3EventNames.POST : S3EventNames.PUT;
            emit(request.bucket(), event, request.key(), sizeOf(request.bucket(), request.key(), eTag,
                    request.contentLength()), eTag, response.versionId());
        }
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        if (!isStub(request.destinationKey())) {
            String eTag = response.copyObjectResult() == null ? null
                    : S3EventMessages.stripQuotes(response.copyObjectResult().eTag());
            // CopyObject returns no size: ask the store.
            emit(request.destinationBucket(), S3EventNames.COPY, request.destinationKey(),
                    sizeOf(request.destinationBucket(), request.destinationKey(), eTag, null), eTag,
                    response.versionId());
        }
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        String bucket = request.bucket();
        String key = request.key();
        if (!isStub(key)) {
            // The multipart ETag ("<md5 of part md5s>-<parts>") comes back quoted; records carry it bare.
            String eTag = S3EventMessages.stripQuotes(response.eTag());
            emit(bucket, S3EventNames.COMPLETE_MULTIPART_UPLOAD, key, sizeOf(bucket, key, eTag, null), eTag,
                    response.versionId());
        }
        return response;
    }

    /**
     * S3 sends {@code ObjectRemoved:Delete} for every successful DeleteObject, including one for a key that did not
     * exist (S3 answers 204 either way). MinIO changed to match this behaviour of AWS in
     * <a href="https://github.com/minio/minio/pull/19037">minio/minio#19037</a>.
     */
    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        DeleteObjectResponse response = super.removeBlob(request);
        if (!isStub(request.key())) {
            emit(request.bucket(), S3EventNames.DELETE, request.key(), null, null, response.versionId());
        }
        return response;
    }

    private void emit(String bucket, String event, String key, Long size, String eTag, String versionId) {
        // A failure here fails the S3 request (500): the client retries and the event is recorded then, rather
        // than the object existing with its notification silently lost.
        listener.objectEvent(bucket, event, key, size, eTag, versionId);
    }

    private Long sizeOf(String bucket, String key, String eTag, Long requestLength) {
        try {
            HeadObjectResponse head = delegate().blobMetadata(bucket, key);
            if (head != null && (eTag == null || eTag.equals(S3EventMessages.stripQuotes(head.eTag())))) {
                return head.contentLength();
            }
        } catch (RuntimeException e) {
            LOG.debug("no metadata for {}/{} right after writing it (overwritten or deleted meanwhile): {}",
                    bucket, key, e.toString());
        }
        return requestLength;
    }

    private static boolean isStub(String key) {
        return key != null && key.startsWith(MPU_STUB_PREFIX);
    }

    private static boolean viaPostObject() {
        return WALKER.walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("handlePostBlob")
                && f.getClassName().startsWith("org.gaul.s3proxy.")));
    }
}

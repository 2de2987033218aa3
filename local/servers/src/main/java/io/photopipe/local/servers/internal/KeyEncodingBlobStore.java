package io.photopipe.local.servers.internal;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Stores each S3 key under its {@link StoredKeys} name in S3Proxy's NIO.2 store, so that keys are kept literally (see
 * {@link StoredKeys} for what went wrong without it), and lists them back as S3 does.
 *
 * <p>Listing is done here rather than by the store: the store is asked for every name under the prefix's
 * directories (it walks the tree anyway), and this class filters by the real prefix, orders keys in UTF-8 binary
 * order ("List results are always returned in UTF-8 binary order",
 * <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html">ListObjectsV2</a>), rolls up
 * common prefixes for any delimiter, and pages with StartAfter, continuation tokens and MaxKeys (V1 markers arrive as
 * StartAfter through S3Proxy's {@code listV1}). Extends {@link ForwardingBlobStore} so S3Proxy still recognises the
 * backend underneath.
 */
public final class KeyEncodingBlobStore extends ForwardingBlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(KeyEncodingBlobStore.class);
    /** S3's default and largest page ({@code MaxKeys}). */
    private static final int MAX_KEYS = 1000;
    /** UTF-8 binary order is code point order. */
    static final Comparator<String> UTF8_ORDER = KeyEncodingBlobStore::compareCodePoints;

    public KeyEncodingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    private static String enc(String key) {
        return key == null ? null : StoredKeys.encode(key);
    }

    /** The key of a stored name; a name that is not ours (cannot happen for objects we wrote) is passed as it is. */
    private static String dec(String name) {
        if (name == null) {
            return null;
        }
        String key = StoredKeys.decode(name);
        return key == null ? name : key;
    }

    // ---- objects ------------------------------------------------------------------------------------------------

    @Override
    public boolean blobExists(String container, String name) {
        return super.blobExists(container, enc(name));
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
        return super.putBlob(request.toBuilder().key(enc(request.key())).build(), payload);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        return super.copyBlob(request.toBuilder().sourceKey(enc(request.sourceKey()))
                .destinationKey(enc(request.destinationKey())).build());
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        return super.blobMetadata(request.toBuilder().key(enc(request.key())).build());
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        return super.getBlob(request.toBuilder().key(enc(request.key())).build());
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        return super.removeBlob(request.toBuilder().key(enc(request.key())).build());
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String key) {
        return super.getBlobAccess(container, enc(key));
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String key, String versionId) {
        return super.getBlobAccess(container, enc(key), versionId);
    }

    @Override
    public GetObjectAclResponse getBlobAcl(GetObjectAclRequest request) {
        return super.getBlobAcl(request.toBuilder().key(enc(request.key())).build());
    }

    @Override
    public void setBlobAccess(String container, String key, ObjectCannedACL access) {
        super.setBlobAccess(container, enc(key), access);
    }

    @Override
    public void setBlobAccess(String container, String key, ObjectCannedACL access, String versionId) {
        super.setBlobAccess(container, enc(key), access, versionId);
    }

    // ---- multipart ----------------------------------------------------------------------------------------------

    private static MultipartUpload withKey(MultipartUpload upload, String key) {
        CreateMultipartUploadRequest request = upload.request().toBuilder().key(key).build();
        return upload.response() == null ? new MultipartUpload(upload.id(), request)
                : new MultipartUpload(upload.id(), request, upload.response().toBuilder().key(key).build());
    }

    private static MultipartUpload enc(MultipartUpload upload) {
        return withKey(upload, enc(upload.request().key()));
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        MultipartUpload stored = super.initiateMultipartUpload(request.toBuilder().key(enc(request.key())).build());
        return withKey(stored, request.key());
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        super.abortMultipartUpload(enc(upload));
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(enc(upload),
                request.toBuilder().key(enc(request.key())).build());
        return response.key() == null ? response : response.toBuilder().key(dec(response.key())).build();
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request,
                                                  InputStream input) {
        return super.uploadMultipartPart(enc(upload), request.toBuilder().key(enc(request.key())).build(), input);
    }

    @Override
    public List<Part> listMultipartUpload(MultipartUpload upload) {
        return super.listMultipartUpload(enc(upload));
    }

    @Override
    public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String container) {
        return super.listMultipartUploads(container).stream().map(u -> u.toBuilder().key(dec(u.key())).build())
                .toList();
    }

    // ---- listing ------------------------------------------------------------------------------------------------

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        String prefix = request.prefix() == null ? "" : request.prefix();
        String delimiter = request.delimiter() == null || request.delimiter().isEmpty() ? null : request.delimiter();
        String after = request.continuationToken() != null ? fromToken(request.continuationToken())
                : request.startAfter();
        int maxKeys = request.maxKeys() == null ? MAX_KEYS : Math.max(0, Math.min(MAX_KEYS, request.maxKeys()));

        // Every stored name under the prefix's directories, whole (no delimiter, no page), then S3's rules on keys.
        ListObjectsV2Response all = super.list(ListObjectsV2Request.builder().bucket(request.bucket())
                .prefix(StoredKeys.encodeDirectories(prefix)).build());
        TreeMap<String, S3Object> objects = new TreeMap<>(UTF8_ORDER);
        for (S3Object o : all.contents()) {
            String key = StoredKeys.decode(o.key());
            if (key != null && key.startsWith(prefix)) {
                objects.put(key, o.toBuilder().key(key).build());
            }
        }
        // Entries in order: keys, or the common prefix that rolls them up (once, where its first key sorts).
        List<Object> entries = new ArrayList<>();
        Set<String> prefixesSeen = new LinkedHashSet<>();
        for (var e : (after == null ? objects : objects.tailMap(after, false)).entrySet()) {
            String key = e.getKey();
            int d = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
            if (d < 0) {
                entries.add(e.getValue());
            } else {
                String common = key.substring(0, d + delimiter.length());
                // A marker that is a common prefix (V1's NextMarker, our token) means that prefix was listed already.
                if (!common.equals(after) && prefixesSeen.add(common)) {
                    entries.add(CommonPrefix.builder().prefix(common).build());
                }
            }
        }
        List<S3Object> contents = new ArrayList<>();
        List<CommonPrefix> commonPrefixes = new ArrayList<>();
        String last = null;
        for (Object entry : entries.subList(0, Math.min(maxKeys, entries.size()))) {
            if (entry instanceof S3Object o) {
                contents.add(o);
                last = o.key();
            } else {
                CommonPrefix p = (CommonPrefix) entry;
                commonPrefixes.add(p);
                last = p.prefix();
            }
        }
        boolean truncated = entries.size() > maxKeys && last != null;
        return ListObjectsV2Response.builder().contents(contents).commonPrefixes(commonPrefixes)
                .isTruncated(truncated).nextContinuationToken(truncated ? toToken(last) : null).build();
    }

    /**
     * Versions of keys, with keys and markers translated; paged in the store's own order (versioning only exists on
     * the in-memory store, and nothing here pages through versions of awkward keys).
     */
    @Override
    public ListObjectVersionsResponse listVersions(ListObjectVersionsRequest request) {
        String prefix = request.prefix() == null ? "" : request.prefix();
        ListObjectVersionsResponse r = super.listVersions(request.toBuilder()
                .prefix(StoredKeys.encodeDirectories(prefix)).delimiter(null).keyMarker(enc(request.keyMarker()))
                .build());
        String delimiter = request.delimiter() == null || request.delimiter().isEmpty() ? null : request.delimiter();
        List<ObjectVersion> versions = new ArrayList<>();
        List<DeleteMarkerEntry> markers = new ArrayList<>();
        Set<String> common = new LinkedHashSet<>();
        for (ObjectVersion v : r.versions()) {
            String key = dec(v.key());
            if (key.startsWith(prefix) && !rolledUp(key, prefix, delimiter, common)) {
                versions.add(v.toBuilder().key(key).build());
            }
        }
        for (DeleteMarkerEntry m : r.deleteMarkers()) {
            String key = dec(m.key());
            if (key.startsWith(prefix) && !rolledUp(key, prefix, delimiter, common)) {
                markers.add(m.toBuilder().key(key).build());
            }
        }
        return r.toBuilder().prefix(request.prefix()).delimiter(request.delimiter()).keyMarker(request.keyMarker())
                .nextKeyMarker(dec(r.nextKeyMarker())).versions(versions).deleteMarkers(markers)
                .commonPrefixes(common.stream().map(p -> CommonPrefix.builder().prefix(p).build()).toList()).build();
    }

    private static boolean rolledUp(String key, String prefix, String delimiter, Set<String> common) {
        int d = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
        if (d < 0) {
            return false;
        }
        common.add(key.substring(0, d + delimiter.length()));
        return true;
    }

    private static String toToken(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String fromToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return token; // not one of ours: treat it as a key, as S3Proxy's own tokens are
        }
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    // ---- objects written before this layout -----------------------------------------------------------------

    /**
     * Moves objects a filesystem store holds under the old layout (the key as a plain path) to their
     * {@link StoredKeys} names, so a data directory from before keeps its objects. Directory markers (a key ending in
     * {@code /}, kept by S3Proxy as a directory with the object's attributes) become files with those attributes.
     * S3Proxy's own names ({@code .mpus-}, {@code .s3proxy-}) are left alone. Returns how many objects moved.
     */
    public static int migrate(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int moved = 0;
        try (DirectoryStream<Path> containers = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path container : containers) {
                moved += migrateContainer(container);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot migrate the S3 store under " + root + ": " + e.getMessage(), e);
        }
        if (moved > 0) {
            LOG.info("moved {} object(s) under {} to the literal-key layout", moved, root);
        }
        return moved;
    }

    private static int migrateContainer(Path container) throws IOException {
        List<Path> legacy = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(container)) {
            walk.filter(p -> !p.equals(container)).forEach(p -> {
                String rel = container.relativize(p).toString();
                if (rel.startsWith(".mpus-") || rel.startsWith(".s3proxy-")) {
                    return;
                }
                // new-layout directories always carry a suffix; an old marker is a plain directory with attributes
                boolean oldMarker = Files.isDirectory(p) && !isNewLayoutDirectory(p, container)
                        && hasAttribute(p, "user.content-md5");
                boolean oldFile = Files.isRegularFile(p) && StoredKeys.decode(rel) == null;
                if (oldMarker || oldFile) {
                    legacy.add(p);
                }
            });
        }
        int moved = 0;
        for (Path p : legacy) {
            String rel = container.relativize(p).toString();
            boolean marker = Files.isDirectory(p);
            Path target = container.resolve(StoredKeys.encode(marker ? rel + "/" : rel));
            if (Files.exists(target)) {
                continue;
            }
            Files.createDirectories(target.getParent());
            if (marker) {
                Files.createFile(target);
                copyAttributes(p, target);
            } else {
                Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
            }
            moved++;
        }
        // Old directories left empty (or holding only a marker's attributes) go.
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(container)) {
            walk.filter(p -> !p.equals(container) && Files.isDirectory(p))
                    .filter(p -> !isNewLayoutDirectory(p, container))
                    .filter(p -> !container.relativize(p).toString().startsWith(".mpus-")
                            && !container.relativize(p).toString().startsWith(".s3proxy-"))
                    .forEach(dirs::add);
        }
        dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path d : dirs) {
            try (Stream<Path> children = Files.list(d)) {
                if (children.findAny().isEmpty()) {
                    Files.delete(d);
                }
            }
        }
        return moved;
    }

    private static boolean isNewLayoutDirectory(Path dir, Path container) {
        if (dir == null || dir.equals(container)) {
            return true;
        }
        String name = dir.getFileName().toString();
        return name.endsWith("%2F") || name.endsWith("%+");
    }

    private static boolean hasAttribute(Path p, String name) {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        try {
            return view != null && view.list().contains(name);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void copyAttributes(Path from, Path to) throws IOException {
        UserDefinedFileAttributeView src = Files.getFileAttributeView(from, UserDefinedFileAttributeView.class);
        UserDefinedFileAttributeView dst = Files.getFileAttributeView(to, UserDefinedFileAttributeView.class);
        if (src == null || dst == null) {
            return;
        }
        for (String name : src.list()) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(src.size(name));
            src.read(name, buf);
            buf.flip();
            dst.write(name, buf);
            src.delete(name);
        }
    }
}

package io.photopipe.worker.process;

import io.photopipe.worker.ports.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link ObjectStore} in a map, for tests of our own classes that do not need S3 semantics. */
final class InMemoryStore implements ObjectStore {
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();

    @Override
    public Fetched get(String bucket, String key, String ifMatch, long maxBytes) {
        byte[] b = objects.get(bucket + "/" + key);
        return b == null ? new Missing() : new Found(b, Integer.toHexString(java.util.Arrays.hashCode(b)), null);
    }

    @Override
    public Optional<String> getText(String bucket, String key) {
        return Optional.ofNullable(objects.get(bucket + "/" + key)).map(String::new);
    }

    @Override
    public Optional<Versioned> getVersioned(String bucket, String key) {
        return Optional.ofNullable(objects.get(bucket + "/" + key))
                .map(b -> new Versioned(new String(b), eTag(b)));
    }

    @Override
    public synchronized Optional<String> putIfUnchanged(String bucket, String key, byte[] bytes, String contentType,
                                                        String expectedETag) {
        byte[] now = objects.get(bucket + "/" + key);
        if (expectedETag == null ? now != null : now == null || !eTag(now).equals(expectedETag)) {
            return Optional.empty();
        }
        objects.put(bucket + "/" + key, bytes);
        return Optional.of(eTag(bytes));
    }

    private static String eTag(byte[] b) {
        return Integer.toHexString(java.util.Arrays.hashCode(b));
    }

    @Override
    public boolean exists(String bucket, String key) {
        return objects.containsKey(bucket + "/" + key);
    }

    @Override
    public void put(String bucket, String key, byte[] bytes, String contentType, String cacheControl,
                    Map<String, String> metadata) {
        objects.put(bucket + "/" + key, bytes);
    }

    @Override
    public Optional<Map<String, String>> metadata(String bucket, String key) {
        return exists(bucket, key) ? Optional.of(Map.of()) : Optional.empty();
    }

    @Override
    public List<String> list(String bucket, String prefix) {
        return objects.keySet().stream().filter(k -> k.startsWith(bucket + "/" + prefix))
                .map(k -> k.substring(bucket.length() + 1)).sorted().toList();
    }

    @Override
    public void delete(String bucket, List<String> keys) {
        keys.forEach(k -> objects.remove(bucket + "/" + k));
    }
}

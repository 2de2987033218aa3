package io.photopipe.loadtest;

import io.photopipe.producer.Burst;
import io.photopipe.producer.Photos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The photos a run uploads: real ones from a folder, or generated photo-like JPEGs, and, for poison-share, corrupt
 * ones spread evenly among them (upload {@code i} is corrupt when {@code floor((i+1)p/100) > floor(ip/100)}, so any
 * prefix of the sequence holds the share, rounded down).
 */
public final class PhotoSource {
    /** One upload: what a virtual user sends and what it expects back. */
    public record Item(long index, String fileName, String contentType, byte[] bytes, boolean corrupt) {
        /** The status the API must end with. */
        public String expect() {
            return corrupt ? "failed" : "ready";
        }
    }

    private final List<Burst.Photo> photos;
    private final int corruptPercent;
    private final byte[] corruptBytes;
    private final AtomicLong next = new AtomicLong();

    private PhotoSource(List<Burst.Photo> photos, int corruptPercent, long seed) {
        this.photos = List.copyOf(photos);
        this.corruptPercent = corruptPercent;
        // starts like nothing any decoder knows: the worker must reject it, not retry it
        byte[] noise = new byte[4096];
        new Random(seed).nextBytes(noise);
        byte[] head = "not a photo: loadtest poison\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, noise, 0, head.length);
        this.corruptBytes = noise;
    }

    /**
     * Photos from {@code dir} when given; else generated JPEGs of {@code size} (WxH) when given; else
     * {@code samples/photos} under the project root when it holds photos; else generated 1600x1200 JPEGs.
     */
    public static PhotoSource create(Path dir, Path projectRoot, String size, int corruptPercent) {
        Path samples = projectRoot == null ? null : projectRoot.resolve("samples").resolve("photos");
        List<Burst.Photo> photos;
        if (dir != null) {
            photos = Photos.fromFolder(dir, countIn(dir), "");
        } else if (size == null && samples != null && Files.isDirectory(samples) && countIn(samples) > 0) {
            photos = Photos.fromFolder(samples, countIn(samples), "");
        } else {
            photos = Photos.generated(List.of(Photos.Size.parse(size == null ? "1600x1200" : size)), 3, "", 42);
        }
        return new PhotoSource(photos, corruptPercent, 7);
    }

    private static int countIn(Path dir) {
        try (var s = Files.list(dir)) {
            return (int) s.filter(p -> Photos.contentType(p.getFileName().toString()) != null).count();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--photos: cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Where the photos come from, for the report. */
    public String describe() {
        long bytes = photos.stream().mapToLong(p -> p.bytes().length).sum();
        return photos.size() + " distinct photo(s), " + (bytes / photos.size() / 1024) + " KiB on average"
                + (corruptPercent > 0 ? ", " + corruptPercent + "% corrupt" : "");
    }

    /** Upload number {@code i}. */
    public Item item(long i) {
        boolean corrupt = corruptPercent > 0 && (i + 1) * corruptPercent / 100 > i * corruptPercent / 100;
        if (corrupt) {
            return new Item(i, "corrupt-" + i + ".jpg", "image/jpeg", corruptBytes, true);
        }
        Burst.Photo p = photos.get((int) (i % photos.size()));
        return new Item(i, p.fileName(), p.contentType(), p.bytes(), false);
    }

    /** How many of the first {@code n} uploads are corrupt. */
    public long corruptAmong(long n) {
        return n * corruptPercent / 100;
    }

    /** The next upload (thread-safe). */
    public Item next() {
        return item(next.getAndIncrement());
    }

    /** An endless Gatling feeder of uploads. */
    public Iterator<Map<String, Object>> feeder() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                Item item = PhotoSource.this.next();
                Map<String, Object> m = new HashMap<>();
                m.put("fileName", item.fileName());
                m.put("contentType", item.contentType());
                m.put("size", item.bytes().length);
                m.put("body", item.bytes());
                m.put("expect", item.expect());
                return m;
            }
        };
    }
}

package io.photopipe.producer;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which objects of a library to re-process. Content types are judged by the key's extension (a listing carries no
 * content type, and a HEAD per object would cost more than the backfill); the worker sniffs the bytes anyway.
 *
 * @param suffixes        keep keys ending with one of these (case-insensitive); empty keeps all
 * @param contentTypes    keep keys whose extension maps to one of these types; empty keeps all
 * @param minSize         keep objects of at least this many bytes
 * @param maxSize         keep objects of at most this many bytes
 * @param modifiedSince   keep objects modified at or after this time; null for no bound
 * @param modifiedBefore  keep objects modified before this time; null for no bound
 * @param excludePrefixes never keep keys under these (the output prefix: renditions are not photos to process)
 */
public record ObjectFilter(List<String> suffixes, Set<String> contentTypes, long minSize, long maxSize,
                           Instant modifiedSince, Instant modifiedBefore, List<String> excludePrefixes) {

    /** Content types by extension, for the formats a photo library holds. */
    public static final Map<String, String> TYPES_BY_EXTENSION = Map.ofEntries(
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("jpe", "image/jpeg"),
            Map.entry("png", "image/png"), Map.entry("webp", "image/webp"), Map.entry("gif", "image/gif"),
            Map.entry("tif", "image/tiff"), Map.entry("tiff", "image/tiff"), Map.entry("bmp", "image/bmp"),
            Map.entry("heic", "image/heic"), Map.entry("heif", "image/heif"), Map.entry("avif", "image/avif"));

    public ObjectFilter {
        suffixes = suffixes == null ? List.of() : suffixes.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        contentTypes = contentTypes == null ? Set.of()
                : contentTypes.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        excludePrefixes = excludePrefixes == null ? List.of() : List.copyOf(excludePrefixes);
        if (minSize < 0) {
            throw ProducerException.usage("--min-size " + minSize + " must not be negative");
        }
        if (maxSize < minSize) {
            throw ProducerException.usage("--max-size " + maxSize + " is below --min-size " + minSize);
        }
        if (modifiedSince != null && modifiedBefore != null && !modifiedSince.isBefore(modifiedBefore)) {
            throw ProducerException.usage("--modified-since " + modifiedSince + " must be before --modified-before "
                    + modifiedBefore);
        }
        for (String t : contentTypes) {
            if (!TYPES_BY_EXTENSION.containsValue(t)) {
                throw ProducerException.usage("--content-type " + t + " is not one of "
                        + TYPES_BY_EXTENSION.values().stream().distinct().sorted().toList());
            }
        }
    }

    /** A filter that keeps everything except keys under the given prefixes. */
    public static ObjectFilter all(List<String> excludePrefixes) {
        return new ObjectFilter(List.of(), Set.of(), 0, Long.MAX_VALUE, null, null, excludePrefixes);
    }

    /** Whether the object is to be re-processed. */
    public boolean test(ObjectRef o) {
        String key = o.key();
        if (key.endsWith("/")) {
            return false; // a "folder" marker, not a photo
        }
        for (String p : excludePrefixes) {
            if (!p.isEmpty() && key.startsWith(p)) {
                return false;
            }
        }
        if (o.size() < minSize || o.size() > maxSize) {
            return false;
        }
        if (modifiedSince != null && (o.lastModified() == null || o.lastModified().isBefore(modifiedSince))) {
            return false;
        }
        if (modifiedBefore != null && (o.lastModified() == null || !o.lastModified().isBefore(modifiedBefore))) {
            return false;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        if (!suffixes.isEmpty() && suffixes.stream().noneMatch(lower::endsWith)) {
            return false;
        }
        if (!contentTypes.isEmpty()) {
            int dot = lower.lastIndexOf('.');
            String type = dot < 0 ? null : TYPES_BY_EXTENSION.get(lower.substring(dot + 1));
            return type != null && contentTypes.contains(type);
        }
        return true;
    }
}

package io.photopipe.worker.engine.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * Finds the native codec library for the running OS and architecture in the classpath (the platform jars of Maven's
 * {@code org.bytedeco:leptonica}: {@code org/bytedeco/leptonica/<platform>/libleptonica.so.6}, which links
 * libjpeg-turbo, libpng, libwebp, libtiff, giflib and zlib statically and needs only libc), extracts it once to
 * {@code java.io.tmpdir} ({@code /tmp} on Lambda, the only writable place there) and opens it for FFM. Hand-written:
 * JavaCPP's loader would do this, but drags its runtime and JNI wrappers for functions we call directly.
 *
 * <p>Concurrent first use is safe: within a JVM the class initialiser runs once; across JVMs sharing the temporary
 * directory (local child JVMs, tests) each writes its own temporary file and renames it into place atomically, and
 * the file name carries the jar entry's CRC-32 and size, so no JVM ever opens a half-written or different library.
 * The directory is the user's own ({@code photopipe-native-<user>}, created {@code rwx------}), and an existing file
 * is checked against the entry's CRC before it is opened; later starts (a warm /tmp, SnapStart) skip inflating the
 * 6 MB entry.
 */
final class NativeLibrary {

    /** System property, then environment variable: {@code auto} (default), {@code off} or {@code required}. */
    static final String PROPERTY = "photopipe.native";
    static final String ENV = "PHOTOPIPE_NATIVE";

    /** How the user wants the native codecs. */
    enum Mode {
        /** Use them when this platform has them, else ImageIO (with a warning at start-up). */
        AUTO,
        /** Never load them: the pure Java (ImageIO + TwelveMonkeys) path everywhere. */
        OFF,
        /** Fail start-up when they cannot be loaded. */
        REQUIRED;

        /** Parses a setting; null or blank means {@link #AUTO}; null for an unknown value. */
        static Mode parse(String value) {
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "auto", "on", "true", "yes", "1" -> AUTO;
                case "off", "false", "no", "0" -> OFF;
                case "required" -> REQUIRED;
                default -> null;
            };
        }
    }

    /**
     * The outcome of loading.
     *
     * @param lookup   the library's symbols, or null when not loaded
     * @param file     the extracted library, or null
     * @param platform {@code linux-x86_64}, {@code linux-arm64}, ... (bytedeco's names)
     * @param status   one sentence for logs: what was loaded, or why not
     */
    record Loaded(SymbolLookup lookup, Path file, String platform, String status) {
    }

    private NativeLibrary() {
    }

    /** The mode this process asked for ({@value #PROPERTY}, then {@value #ENV}); unknown values count as auto. */
    static Mode mode() {
        String v = System.getProperty(PROPERTY, System.getenv(ENV));
        Mode m = Mode.parse(v);
        return m == null ? Mode.AUTO : m;
    }

    /** bytedeco's platform name for a JVM's {@code os.name} and {@code os.arch}. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx" : os.startsWith("windows")
                ? "windows" : os.replaceAll("\\W", "");
        String a = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        return o + "-" + a;
    }

    /** The classpath resource of the library for {@code platform}. */
    static String resource(String platform) {
        return "org/bytedeco/leptonica/" + platform + "/libleptonica.so.6";
    }

    /** Loads the library for this JVM's platform into {@code tmpDir}, unless {@code mode} is off. */
    static Loaded load(Mode mode, ClassLoader loader, Path tmpDir) {
        String platform = platform(System.getProperty("os.name"), System.getProperty("os.arch"));
        if (mode == Mode.OFF) {
            return new Loaded(null, null, platform, "off (" + ENV + "=off): ImageIO decodes and encodes everything");
        }
        URL url = loader.getResource(resource(platform));
        if (url == null) {
            return new Loaded(null, null, platform, "this jar has no native codecs for " + platform + " (no "
                    + resource(platform) + " on the classpath; the Lambda jar carries linux-arm64 only, local runs "
                    + "add the host's org.bytedeco:leptonica platform jar): ImageIO decodes and encodes everything, "
                    + "several times slower, and WebP cannot be written");
        }
        Path file = null;
        try {
            Entry entry = entry(url);
            Path dir = tmpDir.resolve("photopipe-native-" + System.getProperty("user.name", "user")
                    .replaceAll("[^A-Za-z0-9_.-]", "_"));
            file = dir.resolve(String.format(Locale.ROOT, "libleptonica-%s-%08x-%d.so", platform, entry.crc(),
                    entry.size()));
            if (!matches(file, entry)) {
                extract(url, entry, file);
            }
            SymbolLookup lookup = SymbolLookup.libraryLookup(file, Arena.global());
            return new Loaded(lookup, file, platform, "loaded " + file);
        } catch (IOException | RuntimeException e) {
            return new Loaded(null, file, platform, "cannot load the native codecs for " + platform
                    + (file == null ? "" : " from " + file) + ": " + e.getMessage()
                    + " (ImageIO decodes and encodes everything)");
        }
    }

    /** A resource's CRC-32 and size: from the jar's directory when it is in a jar (no need to inflate it). */
    record Entry(long crc, long size) {
    }

    private static Entry entry(URL url) throws IOException {
        if (url.openConnection() instanceof JarURLConnection jar) {
            jar.setUseCaches(false);
            JarEntry e = jar.getJarEntry();
            if (e.getCrc() >= 0 && e.getSize() >= 0) {
                return new Entry(e.getCrc(), e.getSize());
            }
        }
        byte[] bytes = read(url);
        return new Entry(crc(bytes), bytes.length);
    }

    private static boolean matches(Path file, Entry entry) throws IOException {
        return Files.isRegularFile(file) && Files.size(file) == entry.size()
                && crc(Files.readAllBytes(file)) == entry.crc();
    }

    /** Writes the resource to {@code file}, atomically for concurrent writers, in a directory only we can write. */
    static void extract(URL url, Entry entry, Path file) throws IOException {
        byte[] bytes = read(url);
        if (bytes.length != entry.size() || crc(bytes) != entry.crc()) {
            throw new IOException(url + " does not match its jar entry's size and CRC");
        }
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
        }
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] read(URL url) throws IOException {
        URLConnection c = url.openConnection();
        c.setUseCaches(false);
        try (InputStream in = c.getInputStream()) {
            return in.readAllBytes();
        }
    }

    static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}

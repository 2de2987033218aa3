package io.photopipe.local.lambda.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JDK AOT cache per function jar (JEP 483 class loading and linking, JEP 515 method profiles; written in one step
 * with {@code -XX:AOTCacheOutput}, JEP 514), so execution environments after the first start faster.
 *
 * <p>The first environment of a jar without a cache trains it: it runs with {@code -XX:AOTCacheOutput=FILE.tmp}
 * and the JVM writes the cache when that environment exits (it then needs some seconds, so it is given time to,
 * see {@link #EXIT_GRACE_SECONDS}); later environments start with {@code -XX:AOTCache=FILE}. The file sits beside
 * the jar, named {@code JAR.KEY.aot}, where KEY hashes the JDK, the JVM flags and every classpath entry's path, size
 * and modification time: a rebuilt jar gets a new cache and the old one is deleted. (The JVM checks the classpath
 * too and runs without a cache that does not match.) A classes directory cannot be archived (JEP 483), so functions
 * given as directories (tests) run as before. {@code PHOTOPIPE_AOT_CACHE=off} turns it off.
 *
 * <p>Both AOT options refuse an explicit {@code -Xshare:auto}, so that flag is dropped when either is used (AOT
 * mode {@code auto}, the default, behaves the same when the cache is missing or stale). Lambda's own java25 runtime
 * uses AOT caches for its start-up; see
 * <a href="https://docs.aws.amazon.com/lambda/latest/dg/java-customization.html">Customize Java runtime startup
 * behavior</a>.
 */
public final class AotCache {
    private static final Logger LOG = LoggerFactory.getLogger(AotCache.class);
    /** The environment variable that turns the cache off ({@code off}); anything else or unset: on. */
    public static final String SWITCH = "PHOTOPIPE_AOT_CACHE";
    /** How long a training environment may take to exit: the JVM assembles the cache in a child JVM at exit. */
    public static final int EXIT_GRACE_SECONDS = 120;
    private static final Set<Path> TRAINING = ConcurrentHashMap.newKeySet();

    /**
     * What one environment does about the cache.
     *
     * @param flags    JVM options to add (none, {@code -XX:AOTCache=...} or {@code -XX:AOTCacheOutput=...})
     * @param training the temporary file being written by this environment, or null
     * @param cache    the cache file this plan is about, or null
     */
    public record Plan(List<String> flags, Path training, Path cache) {
        static final Plan NONE = new Plan(List.of(), null, null);

        public boolean uses() {
            return !flags.isEmpty();
        }
    }

    private AotCache() {
    }

    /** Whether the environment (e.g. {@code System::getenv}) leaves the cache on. */
    public static boolean enabled(Function<String, String> env) {
        return !"off".equalsIgnoreCase(String.valueOf(env.apply(SWITCH)).strip());
    }

    /**
     * The plan for an environment of the function whose code is {@code jar} (the first entry that is not the runtime
     * client's), started with {@code java} from {@code javaHome}, these JVM flags and this classpath.
     */
    public static Plan plan(Path jar, Path javaHome, List<String> jvmFlags, List<Path> classpath) {
        if (!enabled(System::getenv) || !Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")
                || classpath.stream().anyMatch(Files::isDirectory)) {
            return Plan.NONE;
        }
        Path cache;
        try {
            cache = jar.toAbsolutePath().resolveSibling(jar.getFileName() + "." + key(javaHome, jvmFlags, classpath) + ".aot");
        } catch (IOException e) {
            return Plan.NONE;
        }
        if (Files.isRegularFile(cache)) {
            return new Plan(List.of("-XX:AOTCache=" + cache), null, cache);
        }
        if (!TRAINING.add(cache)) {
            return Plan.NONE; // another environment is writing it
        }
        Path tmp = cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        LOG.info("no AOT cache for {} yet: this environment trains one ({} when it exits)", jar.getFileName(),
                cache.getFileName());
        return new Plan(List.of("-XX:AOTCacheOutput=" + tmp), tmp, cache);
    }

    /** The JVM flags with {@code -Xshare:auto} dropped when the plan uses an AOT option (the JVM refuses both). */
    public static List<String> apply(Plan plan, List<String> jvmFlags) {
        if (!plan.uses()) {
            return jvmFlags;
        }
        return java.util.stream.Stream.concat(jvmFlags.stream().filter(f -> !f.startsWith("-Xshare:")),
                plan.flags().stream()).toList();
    }

    /** After a training environment's JVM exited: publishes the cache it wrote, if any, and deletes stale ones. */
    public static void trained(Plan plan) {
        if (plan.training() == null) {
            return;
        }
        try {
            if (Files.isRegularFile(plan.training()) && Files.size(plan.training()) > 0) {
                Files.move(plan.training(), plan.cache(), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                LOG.info("AOT cache written: {} ({} MB)", plan.cache(), Files.size(plan.cache()) >> 20);
                deleteStale(plan.cache());
            } else {
                LOG.info("no AOT cache was written for {} (the environment was killed before it could finish); the"
                        + " next environment trains again", plan.cache().getFileName());
            }
        } catch (IOException e) {
            LOG.warn("could not publish the AOT cache {}: {}", plan.cache(), e.toString());
        } finally {
            try {
                Files.deleteIfExists(plan.training());
            } catch (IOException ignored) {
                // a stale temp file; the next training overwrites it
            }
            TRAINING.remove(plan.cache());
        }
    }

    /** Caches of the same jar under another key (an earlier build, JDK or flags). */
    private static void deleteStale(Path current) throws IOException {
        String name = current.getFileName().toString();
        String jarName = name.substring(0, name.length() - ".aot".length() - 13); // ".<12 hex>.aot"
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(current.getParent(), jarName + ".*.aot")) {
            for (Path p : siblings) {
                if (!p.equals(current)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static String key(Path javaHome, List<String> jvmFlags, List<Path> classpath) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            StringBuilder s = new StringBuilder(javaHome.toAbsolutePath().toString()).append('\n')
                    .append(String.join(" ", jvmFlags)).append('\n');
            Path modules = javaHome.resolve("lib").resolve("modules"); // changes with every JDK build
            for (Path p : Files.isRegularFile(modules) ? java.util.stream.Stream.concat(java.util.stream.Stream.of(modules),
                    classpath.stream()).toList() : classpath) {
                s.append(p.toAbsolutePath()).append(' ').append(Files.size(p)).append(' ')
                        .append(Files.getLastModifiedTime(p).toMillis()).append('\n');
            }
            return HexFormat.of().formatHex(sha.digest(s.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

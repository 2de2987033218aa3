package io.photopipe.local.lambda.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The runtime interface client's JNI library, extracted once per parent process. Left to itself, every child JVM's
 * {@code JniHelper} copies the library to the fixed path {@code /tmp/.libaws-lambda-jni.so} (replacing it) and loads
 * it from there: when several environments cold-start at once, one JVM maps the file while another rewrites it and
 * dies with SIGBUS in {@code ld-linux} (seen here with five concurrent cold starts). {@code JniHelper} loads the path
 * in the system property {@value #PROPERTY} instead when it is set, so each child gets this read-only copy.
 */
public final class RicNativeLibrary {
    /** Read by {@code com.amazonaws.services.lambda.runtime.api.client.runtimeapi.JniHelper}. */
    public static final String PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private static Path extracted;

    private RicNativeLibrary() {
    }

    /** The {@code -D} option pointing children at the shared copy, or nothing when it cannot be made. */
    public static List<String> jvmOption(List<Path> ricJars) {
        Path lib = extract(ricJars);
        return lib == null ? List.of() : List.of("-D" + PROPERTY + "=" + lib);
    }

    private static synchronized Path extract(List<Path> ricJars) {
        if (extracted != null && Files.isRegularFile(extracted)) {
            return extracted;
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String name = arch.contains("aarch64") || arch.contains("arm64") ? "libaws-lambda-jni.linux-aarch_64.so"
                : "libaws-lambda-jni.linux-x86_64.so";
        if (Files.exists(Path.of("/etc/alpine-release"))) {
            name = name.replace("linux-", "linux_musl-");
        }
        for (Path jar : ricJars) {
            if (!jar.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client")) {
                continue;
            }
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.getEntry("jni/" + name);
                if (entry == null) {
                    return null; // let the client fall back to its own extraction
                }
                Path dir = Files.createTempDirectory("photopipe-ric-");
                Path lib = dir.resolve(name);
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
                }
                lib.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                extracted = lib;
                return lib;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract the runtime interface client's native library from "
                        + jar + ": " + e.getMessage(), e);
            }
        }
        return null;
    }
}

package io.photopipe.local.lambda.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the jars of aws-lambda-java-runtime-interface-client and its dependencies that the build copies to
 * {@code local/runtime/target/ric}, so a child JVM's classpath holds the runtime client and the function, and none
 * of our classes.
 */
public final class RicClasspath {
    /** System property naming the directory, overriding the search. */
    public static final String PROPERTY = "photopipe.ric.dir";

    private RicClasspath() {
    }

    /** The jars, or a clear error saying how to get them. */
    public static List<Path> jars() {
        Path dir = directory();
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            if (jars.stream().noneMatch(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))) {
                throw missing(dir);
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static Path directory() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        try {
            // target/classes -> target/ric; target/photopipe-local-X.jar -> target/ric
            Path code = Path.of(RicClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = code.getParent().resolve("ric");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            // photopipe-local from a Maven repository (another module's build): the checkout's build output
            for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                Path inCheckout = p.resolve("local/runtime/target/ric");
                if (Files.isDirectory(inCheckout) && Files.isRegularFile(p.resolve("photopipe"))) {
                    return inCheckout;
                }
            }
            throw missing(candidate);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot tell where photopipe-local's classes are; set -D" + PROPERTY, e);
        }
    }

    private static IllegalStateException missing(Path dir) {
        return new IllegalStateException("the Lambda runtime interface client jars are not in " + dir
                + "; build local/runtime (./mvnw -pl local/runtime -am package -DskipTests copies them there) or set -D"
                + PROPERTY);
    }
}

package io.photopipe.worker.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding, extracting and loading the platform's library: names, concurrent first use, a damaged copy, absence. */
class NativeLibraryTest {

    private final ClassLoader loader = NativeLibraryTest.class.getClassLoader();

    @Test
    void platformNamesAreBytedecosForTheJvmsOsAndArch() {
        assertThat(NativeLibrary.platform("Linux", "amd64")).isEqualTo("linux-x86_64");
        assertThat(NativeLibrary.platform("Linux", "aarch64")).isEqualTo("linux-arm64");
        assertThat(NativeLibrary.platform("Mac OS X", "aarch64")).isEqualTo("macosx-arm64");
        assertThat(NativeLibrary.Mode.parse("OFF")).isEqualTo(NativeLibrary.Mode.OFF);
        assertThat(NativeLibrary.Mode.parse(null)).isEqualTo(NativeLibrary.Mode.AUTO);
        assertThat(NativeLibrary.Mode.parse("fast")).isNull();
    }

    @Test
    void eightJvmThreadsLoadingAtOnceShareOneCompleteFile(@TempDir Path tmp) throws Exception {
        assumeTrue(hostHasLibrary(), "no library for this platform on the test classpath");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<NativeLibrary.Loaded>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<NativeLibrary.Loaded> load = () -> {
                    start.await();
                    return NativeLibrary.load(NativeLibrary.Mode.AUTO, loader, tmp);
                };
                all.add(pool.submit(load));
            }
            start.countDown();
            for (Future<NativeLibrary.Loaded> f : all) {
                NativeLibrary.Loaded l = f.get();
                assertThat(l.lookup()).as(l.status()).isNotNull();
                assertThat(l.lookup().find("pixReadMemJpeg")).isPresent();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> files = Files.walk(tmp)) {
            List<Path> left = files.filter(Files::isRegularFile).toList();
            assertThat(left).as("one library, no partial files").hasSize(1);
            assertThat(left.getFirst().getFileName().toString()).startsWith("libleptonica-").endsWith(".so");
        }
    }

    @Test
    void aDamagedCopyIsReplacedBeforeItIsLoaded(@TempDir Path tmp) throws Exception {
        assumeTrue(hostHasLibrary(), "no library for this platform on the test classpath");
        // learn the file name from a load elsewhere: a library this JVM has mapped must never be written in place
        Path loaded = NativeLibrary.load(NativeLibrary.Mode.AUTO, loader, tmp.resolve("a")).file();
        byte[] good = Files.readAllBytes(loaded);
        Path damaged = tmp.resolve("b").resolve(loaded.getParent().getFileName()).resolve(loaded.getFileName());
        Files.createDirectories(damaged.getParent());
        Files.write(damaged, new byte[good.length]); // same name and size, wrong bytes
        NativeLibrary.Loaded again = NativeLibrary.load(NativeLibrary.Mode.AUTO, loader, tmp.resolve("b"));
        assertThat(again.file()).isEqualTo(damaged);
        assertThat(again.lookup()).as(again.status()).isNotNull();
        assertThat(Files.readAllBytes(damaged)).isEqualTo(good);
    }

    @Test
    void withoutALibraryForThisPlatformTheStatusSaysWhyAndWhatHappensInstead(@TempDir Path tmp) throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            NativeLibrary.Loaded l = NativeLibrary.load(NativeLibrary.Mode.AUTO, empty, tmp);
            assertThat(l.lookup()).isNull();
            assertThat(l.status()).contains("this jar has no native codecs for " + l.platform())
                    .contains("ImageIO decodes and encodes everything");
        }
        assertThat(NativeLibrary.load(NativeLibrary.Mode.OFF, loader, tmp).status()).contains("PHOTOPIPE_NATIVE=off");
    }

    private boolean hostHasLibrary() {
        return loader.getResource(NativeLibrary.resource(NativeLibrary.platform(System.getProperty("os.name"),
                System.getProperty("os.arch")))) != null;
    }
}

package io.photopipe.worker.engine;

import static io.photopipe.worker.engine.TestImages.MB;
import static io.photopipe.worker.engine.TestImages.corpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import io.photopipe.core.Fit;
import io.photopipe.core.ImageFormat;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.Rendition;
import io.photopipe.core.SettingsException;
import io.photopipe.worker.engine.internal.MemoryBudget;
import java.awt.Color;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EngineConfigAndConcurrencyTest {

    @Test
    void configFromSettingsTakesLimitsBackgroundAndAShareOfTheHeap() {
        EngineConfig c = EngineConfig.of(PipelineSettings.defaults());
        assertThat(c.maxObjectBytes()).isEqualTo(104_857_600);
        assertThat(c.maxPixels()).isEqualTo(120_000_000);
        assertThat(c.background()).isEqualTo(Color.WHITE);
        assertThat(c.memoryBudgetBytes()).isEqualTo((long) (Runtime.getRuntime().maxMemory() * 0.6));
        assertThat(EngineConfig.heapBudget(1L << 20)).as("never below 16 MB").isEqualTo(16 * MB);
    }

    @Test
    void invalidConfigNamesTheSetting() {
        assertThatThrownBy(() -> new EngineConfig(0, 1, Color.WHITE, 64 * MB)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("limits.maxObjectBytes");
        assertThatThrownBy(() -> new EngineConfig(1, 0, Color.WHITE, 64 * MB)).hasMessageContaining("limits.maxPixels");
        assertThatThrownBy(() -> new EngineConfig(1, 1, Color.WHITE, MB)).hasMessageContaining("-Xmx");
    }

    /** The refusal without native codecs is checked in a JVM without them: NativeAndImageIoDecodersAgreeTest. */
    @Test
    void webpOutputIsAcceptedAtStartUpWhereTheNativeCodecsLoad() {
        assumeTrue(Codecs.nativeAvailable(), Codecs.nativeStatus());
        ImageEngine.checkWritable(List.of(new Rendition("w", 100, 100, Fit.FIT, ImageFormat.WEBP, 0.8, List.of())));
        ImageEngine.checkWritable(PipelineSettings.defaults().renditions());
    }

    @Test
    void theNativeSwitchIsValidatedAndNamed() {
        assertThatThrownBy(() -> EngineConfig.fromEnv(PipelineSettings.defaults(), Map.of("PHOTOPIPE_NATIVE", "fast")::get))
                .isInstanceOf(SettingsException.class).hasMessageContaining("PHOTOPIPE_NATIVE")
                .hasMessageContaining("'fast' is not one of auto, off, required");
        assertThatThrownBy(() -> EngineConfig.fromEnv(PipelineSettings.defaults(),
                Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "lots")::get)).hasMessageContaining("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
        EngineConfig lambda = EngineConfig.fromEnv(PipelineSettings.defaults(),
                Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024", "PHOTOPIPE_NATIVE", "auto")::get);
        assertThat(lambda.memoryBudgetBytes()).as("40% of the function's memory when that is less than 60% of the heap")
                .isEqualTo(Math.min((long) (Runtime.getRuntime().maxMemory() * 0.6), (long) (1024 * MB * 0.4)));
        assertThat(lambda.maxSamplesPerPixel()).isEqualTo(8);
        assertThat(lambda.maxAspectRatio()).isEqualTo(100);
    }

    @Test
    void theMemoryBudgetMakesALargeRenderWaitForTheBytesInUse() throws Exception {
        MemoryBudget budget = new MemoryBudget(10 * MB);
        MemoryBudget.Lease first = budget.acquire(6 * MB);
        AtomicBoolean acquired = new AtomicBoolean();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try (MemoryBudget.Lease second = budget.acquire(6 * MB)) {
                acquired.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).untilFalse(acquired);
        first.close();
        await().atMost(Duration.ofSeconds(5)).untilTrue(acquired);
        waiter.join();
        assertThat(budget.availableBytes()).isEqualTo(10 * MB);
        try (MemoryBudget.Lease all = budget.acquire(1L << 40)) {
            assertThat(budget.availableBytes()).as("a render larger than the budget runs alone").isZero();
        }
    }

    @Test
    void parallelRendersWithATightBudgetGiveTheSameBytesAsOneThread() throws Exception {
        // room for one of the larger renders at a time (each needs 20-30 MB): threads queue for memory
        ImageEngine tight = new ImageEngine(new EngineConfig(100 * MB, 120_000_000, Color.WHITE, 40 * MB));
        List<Rendition> presets = PipelineSettings.defaults().renditions();
        List<String> files = List.of("camera_nokia_lumia820_starfish.jpg", "orient6_Landscape_6.jpg",
                "webp_lossy_alpha_yellow_rose.lossy-with-alpha.webp", "png_palette_trns_ftbbn3p08.png");
        List<byte[]> expected = new ArrayList<>();
        for (String f : files) {
            expected.add(flatten(tight.render(corpus(f), presets)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String f = files.get(i % files.size());
                futures.add(pool.submit(() -> flatten(tight.render(corpus(f), presets))));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).as("deterministic output").isEqualTo(expected.get(i % files.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] flatten(RenderResult r) {
        byte[] all = new byte[0];
        for (RenderedImage o : r.outputs()) {
            byte[] next = Arrays.copyOf(all, all.length + o.bytes().length);
            System.arraycopy(o.bytes(), 0, next, all.length, o.bytes().length);
            all = next;
        }
        return all;
    }
}

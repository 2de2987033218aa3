package io.photopipe.worker;

import static io.photopipe.worker.testing.WorkerHarness.failedIds;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.photopipe.worker.testing.WorkerHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a test of speed: the whole handler path (S3 GET, one decode, the default presets, seven PUTs,
 * status, result, SQS) on real photos against the embedded servers, in Lambda-sized batches of ten. Off by default;
 * run with {@code ./mvnw -pl worker -am verify -Dtest=HandlerThroughputMeasure -Dsurefire.failIfNoSpecifiedTests=false
 * -Dphotopipe.measure=/path/to/photos}. Prints photos/s, megapixels/s and per-photo times.
 */
@EnabledIfSystemProperty(named = "photopipe.measure", matches = ".+")
class HandlerThroughputMeasure {

    @Test
    void measure() throws IOException {
        Path dir = Path.of(System.getProperty("photopipe.measure"));
        List<Path> photos;
        try (Stream<Path> s = Files.list(dir)) {
            photos = s.filter(p -> p.toString().toLowerCase().endsWith(".jpg")).sorted().toList();
        }
        String concurrency = System.getProperty("photopipe.concurrency", "2");
        try (WorkerHarness h = WorkerHarness.create(Map.of(WorkerConfig.CONCURRENCY, concurrency))) {
            for (Path p : photos) {
                String key = "uploads/measure/" + p.getFileName();
                h.sendCreated(key, h.put(key, Files.readAllBytes(p)));
            }
            long t0 = System.nanoTime();
            int left = photos.size();
            while (left > 0) {
                int n = Math.min(10, left);
                assertThat(failedIds(h.invoke(h.receive(n)))).isEmpty();
                left -= n;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double mp = h.count("photopipe.megapixels.in");
            Timer t = h.registry.find("photopipe.photo.duration").tag("reason", "rendered").timer();
            System.out.printf("MEASURE %d photos (%.1f MP) in %.1f s with concurrency %s on %d cores: %.2f photos/s, "
                            + "%.1f MP/s; per photo mean %.0f ms, max %.0f ms; %d renditions, %.1f MB written%n",
                    photos.size(), mp, seconds, concurrency, Runtime.getRuntime().availableProcessors(),
                    photos.size() / seconds, mp / seconds, t.mean(TimeUnit.MILLISECONDS), t.max(TimeUnit.MILLISECONDS),
                    (long) h.count("photopipe.renditions.written"), h.count("photopipe.bytes.out") / 1e6);
        }
    }
}

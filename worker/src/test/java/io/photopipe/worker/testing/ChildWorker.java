package io.photopipe.worker.testing;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photopipe.local.servers.LocalCredentials;
import io.photopipe.worker.Worker;
import io.photopipe.worker.WorkerConfig;
import io.photopipe.worker.WorkerHandler;
import io.photopipe.worker.engine.PhotoRejectedException;
import io.photopipe.worker.process.Renderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.imageio.IIOException;

/**
 * The worker in a JVM of its own, for what needs a process: to be killed in the middle of a render, or to run out
 * of a small heap. Configured by the environment, as in Lambda; invoked once with an SQS event from a file.
 * Usage: {@code ChildWorker stuck|oom EVENT_FILE REMAINING_MS}. Prints {@code failed=<ids>} and exits 0.
 */
public final class ChildWorker {
    /** The photo the renderers act on; every other photo renders normally. */
    public static byte[] marked() {
        return Photos.jpeg(61, 41, 7);
    }

    private ChildWorker() {
    }

    public static void main(String[] args) throws Exception {
        byte[] marked = marked();
        UnaryOperator<Renderer> renderer = switch (args[0]) {
            case "stuck" -> engine -> (photo, renditions) -> {
                if (Arrays.equals(photo, marked)) {
                    System.out.println("rendering the marked photo");
                    System.out.flush();
                    sleepForever();
                }
                return engine.render(photo, renditions);
            };
            case "oom" -> engine -> (photo, renditions) -> {
                if (Arrays.equals(photo, marked)) {
                    exhaustHeapLikeADecoder();
                }
                return engine.render(photo, renditions);
            };
            default -> throw new IllegalArgumentException(args[0]);
        };
        WorkerConfig config = WorkerConfig.fromEnv(System::getenv);
        try (Worker worker = Worker.create(config, LocalCredentials.provider(), new SimpleMeterRegistry(), System.out,
                new Worker.Hooks(renderer, () -> { }))) {
            String event = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8);
            SQSBatchResponse r = new WorkerHandler(worker).handleRequest(LambdaEvents.sqsEvent(event),
                    LambdaEvents.context(Long.parseLong(args[2])));
            System.out.println("failed=" + WorkerHarness.failedIds(r));
        }
        System.exit(0);
    }

    private static void sleepForever() {
        while (true) {
            try {
                TimeUnit.DAYS.sleep(1);
            } catch (InterruptedException e) {
                // like native code: not stopped by an interrupt
            }
        }
    }

    /**
     * Allocates until the heap is exhausted, then fails the way ImageIO's readers do: the OutOfMemoryError wrapped
     * in an IIOException, which the engine reports as a corrupt photo.
     */
    private static void exhaustHeapLikeADecoder() throws PhotoRejectedException {
        List<long[]> rows = new ArrayList<>();
        try {
            while (true) {
                rows.add(new long[1 << 20]);
            }
        } catch (OutOfMemoryError e) {
            int held = rows.size();
            rows.clear();
            throw new PhotoRejectedException(PhotoRejectedException.CORRUPT, "the image data cannot be decoded ("
                    + held * 8 + " MB held)", new IIOException("Caught OutOfMemoryError", e));
        }
    }

    /** Starts this class in a new JVM with the test classpath, the worker's environment and its output in a file. */
    public static Process start(List<String> jvmArgs, java.util.Map<String, String> env, Path output, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildWorker.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }
}

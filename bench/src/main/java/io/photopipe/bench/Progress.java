package io.photopipe.bench;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Progress of one phase (a contender's warm-up or measured rounds, the PSNR pass) on stderr: a bar with rate and ETA
 * at a terminal (me.tongfei progressbar), else a line when the phase starts and one when it ends. Thread-safe.
 */
interface Progress extends AutoCloseable {

    void step();

    @Override
    void close();

    /** Where phases are reported. */
    interface Factory {
        Progress start(String task, long photos);
    }

    /** A bar at a terminal, lines otherwise. */
    static Factory stderr() {
        Console c = System.console();
        // Since JDK 22 System.console() is non-null when redirected too: isTerminal() decides.
        return c != null && c.isTerminal() ? Progress::bar : (task, photos) -> lines(System.err, task, photos);
    }

    /** Nothing at all (tests). */
    static Factory none() {
        return (task, photos) -> new Progress() {
            @Override
            public void step() {
            }

            @Override
            public void close() {
            }
        };
    }

    private static Progress bar(String task, long photos) {
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(photos)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUnit(" photos", 1)
                .setUpdateIntervalMillis(250).build();
        return new Progress() {
            @Override
            public void step() {
                bar.step();
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    private static Progress lines(PrintStream err, String task, long photos) {
        long start = System.nanoTime();
        err.printf(Locale.ROOT, "bench: %s: %d photos...%n", task, photos);
        return new Progress() {
            @Override
            public void step() {
            }

            @Override
            public void close() {
                err.printf(Locale.ROOT, "bench: %s: done in %.1f s%n", task, (System.nanoTime() - start) / 1e9);
            }
        };
    }
}

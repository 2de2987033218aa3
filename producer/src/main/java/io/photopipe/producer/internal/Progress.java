package io.photopipe.producer.internal;

import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Progress of a long command, drawn on stderr with rate and ETA (me.tongfei progressbar), or nothing at all when
 * output is for scripts ({@code --json}) or stderr is not a terminal. Thread-safe.
 */
public interface Progress extends AutoCloseable {
    /** Advances by {@code n} units. */
    void step(long n);

    /** Sets the expected total (may grow while a count runs beside the work); -1 for unknown. */
    void maxHint(long max);

    /** A short message shown after the bar (e.g. failures so far). */
    void message(String text);

    @Override
    void close();

    /** A progress that draws nothing. */
    static Progress none() {
        return new Progress() {
            @Override
            public void step(long n) {
            }

            @Override
            public void maxHint(long max) {
            }

            @Override
            public void message(String text) {
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * A bar on stderr if {@code enabled} and stderr is a terminal, else {@link #none()}.
     *
     * @param task the label, e.g. "backfill"
     * @param max  the expected total, -1 if unknown
     * @param unit the unit shown with the rate, e.g. "msg"
     */
    static Progress bar(boolean enabled, String task, long max, String unit) {
        if (!enabled || !Terminal.isInteractive()) {
            return none();
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUnit(" " + unit, 1).showSpeed().setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(250).build();
        return new Progress() {
            @Override
            public void step(long n) {
                bar.stepBy(n);
            }

            @Override
            public void maxHint(long m) {
                bar.maxHint(m);
            }

            @Override
            public void message(String text) {
                bar.setExtraMessage(text);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}

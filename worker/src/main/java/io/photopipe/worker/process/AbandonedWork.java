package io.photopipe.worker.process;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Work given up on at a deadline that is still running: {@code Future.cancel(true)} interrupts it, but CPU-bound
 * decoding and native code do not look at interrupts, so an abandoned render can keep its CPU and memory into the next
 * invocations of the environment ("zombie work"). This environment-wide register says whether any is left, and
 * since when.
 */
public final class AbandonedWork {

    /**
     * One piece of abandoned work.
     *
     * @param what  the object it was working on
     * @param since when it was abandoned
     * @param done  completes when it finally ends
     */
    record Piece(String what, Instant since, CompletableFuture<Void> done) {
    }

    private final Set<Piece> running = ConcurrentHashMap.newKeySet();

    /** Registers work abandoned now; it leaves the register when {@code done} completes. */
    void add(String what, CompletableFuture<Void> done) {
        Piece p = new Piece(what, Instant.now(), done);
        running.add(p);
        done.whenComplete((v, e) -> running.remove(p));
        if (done.isDone()) {
            running.remove(p);
        }
    }

    /** How many abandoned pieces are still running. */
    public int count() {
        return running.size();
    }

    /** When the oldest still-running piece was abandoned. */
    public Optional<Instant> oldest() {
        return running.stream().map(Piece::since).min(Instant::compareTo);
    }

    /** What the still-running pieces are about (for logs). */
    List<String> what() {
        return running.stream().map(Piece::what).sorted().toList();
    }

    /** Waits up to {@code grace} for every abandoned piece to end; true when none is left. */
    boolean awaitNone(Duration grace) {
        List<CompletableFuture<Void>> left = running.stream().map(Piece::done).toList();
        if (left.isEmpty()) {
            return true;
        }
        try {
            CompletableFuture.allOf(left.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, grace.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still running (or ended badly, which also means it ended)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return running.isEmpty();
    }
}

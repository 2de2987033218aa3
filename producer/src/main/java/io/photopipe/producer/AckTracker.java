package io.photopipe.producer;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Turns batch acknowledgements, which arrive in any order, into a checkpoint position: the cursor below which every
 * batch is acknowledged, plus the ranges of batches acknowledged beyond it. Batches are numbered in source order.
 * Not thread-safe: {@link Backfill} calls it under its lock.
 */
final class AckTracker {
    private long nextSeq;
    private String after;
    private final TreeMap<Long, Checkpoint.Range> ahead = new TreeMap<>();
    private final List<Checkpoint.Range> inherited;

    /**
     * @param after     where a resumed run starts (null for a fresh run)
     * @param inherited ranges a previous run completed beyond {@code after}
     */
    AckTracker(String after, List<Checkpoint.Range> inherited) {
        this.after = after;
        this.inherited = new ArrayList<>(inherited);
    }

    /** Records that batch {@code seq}, covering {@code range}, is acknowledged. */
    void acknowledge(long seq, Checkpoint.Range range) {
        ahead.put(seq, range);
        while (!ahead.isEmpty() && ahead.firstKey() == nextSeq) {
            after = ahead.pollFirstEntry().getValue().last();
            nextSeq++;
        }
        inherited.removeIf(r -> after != null && KeySource.compareCursors(r.last(), after) <= 0);
    }

    /** The cursor below which everything is acknowledged. */
    String after() {
        return after;
    }

    /** Ranges acknowledged beyond {@link #after()}, in cursor order. */
    List<Checkpoint.Range> done() {
        List<Checkpoint.Range> out = new ArrayList<>(inherited);
        out.addAll(ahead.values());
        out.sort((a, b) -> KeySource.compareCursors(a.first(), b.first()));
        return out;
    }

    /** How many batches completed out of order and wait for an earlier one. */
    int waiting() {
        return ahead.size();
    }
}

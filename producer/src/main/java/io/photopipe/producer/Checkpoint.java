package io.photopipe.producer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.photopipe.producer.internal.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The progress of a backfill, recorded after every acknowledged batch so that {@code --resume} continues where a
 * crash or Ctrl-C left off. It lives in two files: this snapshot ({@code FILE}, replaced atomically every few seconds
 * and at the end) and a journal ({@code FILE.journal}) to which every acknowledged batch appends one line in between
 * (see {@link CheckpointJournal}): appending is cheap, while replacing a file costs milliseconds on ext4, which
 * flushes data on rename-over. {@link #read(Path)} returns the snapshot with the journal replayed.
 *
 * <p>Batches complete out of order when many are in flight. {@code after} is the cursor below which every object is
 * acknowledged (the end of the longest run of completed batches from the start); {@code done} are the ranges of
 * batches completed beyond it. A resume lists from {@code after} and skips objects inside {@code done}, so no
 * object is skipped and no completed batch is sent twice; only batches SQS accepted in the instant before a hard kill
 * (at most those in flight) can be sent again.
 *
 * @param version     format version, 1
 * @param source      what was read ({@link KeySource#describe()}); a resume must read the same
 * @param queueUrl    where messages went; a resume must send to the same queue
 * @param after       cursor below which everything is acknowledged; null before the first batch
 * @param done        completed batch ranges beyond {@code after}, in cursor order
 * @param sent        messages accepted by SQS, over all runs
 * @param failed      objects that could not be enqueued, over all runs
 * @param failures    the first of those failures, with reasons
 * @param finished    the whole source was read and every batch acknowledged
 * @param updatedAt   when this was written
 * @param generation  journal lines of this generation belong on top of this snapshot; older ones are already in it
 */
public record Checkpoint(int version, String source, String queueUrl, String after, List<Range> done, long sent,
                         long failed, List<SendResult.Failure> failures, boolean finished, Instant updatedAt,
                         long generation) {

    /** Cursors of the first and last object of a completed batch. */
    public record Range(String first, String last) {
        boolean contains(String cursor) {
            return KeySource.compareCursors(first, cursor) <= 0 && KeySource.compareCursors(cursor, last) <= 0;
        }
    }

    public Checkpoint {
        done = done == null ? List.of() : List.copyOf(done);
        failures = failures == null ? List.of() : List.copyOf(failures);
    }

    /** A checkpoint of generation 0. */
    public Checkpoint(int version, String source, String queueUrl, String after, List<Range> done, long sent,
                      long failed, List<SendResult.Failure> failures, boolean finished, Instant updatedAt) {
        this(version, source, queueUrl, after, done, sent, failed, failures, finished, updatedAt, 0);
    }

    /**
     * Whether a resumed run must skip the object at this cursor (at or before {@code after}, or inside a batch
     * completed beyond it). Ranges are searched by binary search: a resume checks every object it lists.
     */
    public boolean isDone(String cursor) {
        return doneTest().test(cursor);
    }

    /** {@link #isDone} with its index built once, for testing every object of a resumed run. */
    public java.util.function.Predicate<String> doneTest() {
        java.util.TreeMap<String, Range> byFirst = new java.util.TreeMap<>(KeySource::compareCursors);
        for (Range r : done) {
            byFirst.merge(r.first(), r, (a, b) -> KeySource.compareCursors(a.last(), b.last()) >= 0 ? a : b);
        }
        String upTo = after;
        return cursor -> {
            if (upTo != null && KeySource.compareCursors(cursor, upTo) <= 0) {
                return true;
            }
            java.util.Map.Entry<String, Range> r = byFirst.floorEntry(cursor);
            return r != null && KeySource.compareCursors(cursor, r.getValue().last()) <= 0;
        };
    }

    /**
     * Reads a checkpoint.
     *
     * @throws ProducerException with {@link ExitCodes#USAGE} if it cannot be read
     */
    public static Checkpoint read(Path file) {
        Checkpoint snapshot;
        try {
            snapshot = Json.MAPPER.readerFor(Checkpoint.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(file.toFile());
        } catch (IOException e) {
            throw ProducerException.usage("cannot read checkpoint " + file + ": " + e.getMessage());
        }
        return CheckpointJournal.replay(snapshot, CheckpointJournal.journalOf(file));
    }

    /**
     * Writes the checkpoint atomically: to a temporary file beside it, then renamed over it, so a crash mid-write
     * leaves the previous checkpoint intact.
     *
     * @param sync also force the bytes to disk (survives a power loss, not only a process crash); costs milliseconds
     */
    public void write(Path file, boolean sync) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve(file.getFileName() + ".tmp");
        byte[] bytes = Json.pretty(this).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            if (sync) {
                ch.force(true);
            }
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

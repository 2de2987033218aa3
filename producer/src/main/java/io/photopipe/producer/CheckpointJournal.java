package io.photopipe.producer;

import com.fasterxml.jackson.databind.JsonNode;
import io.photopipe.producer.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The append-only half of a {@link Checkpoint}: one JSON line per acknowledged batch, written with a single
 * {@code write} to a file opened for appending (no fsync: the page cache survives the crash of this process, which is
 * what a resume is for). Every few seconds {@link #compact} replaces the snapshot (temporary file and rename) with a
 * new generation and empties the journal; lines of an older generation, left by a crash between the two steps, are
 * already in the snapshot and are ignored. A torn last line (a crash mid-write) is ignored too: its batch is sent
 * again by the resume, like one in flight.
 */
final class CheckpointJournal implements AutoCloseable {
    private final Path snapshotFile;
    private final FileChannel journal;
    private long generation;

    private CheckpointJournal(Path snapshotFile, long generation) throws IOException {
        this.snapshotFile = snapshotFile;
        this.generation = generation;
        Path dir = snapshotFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        this.journal = FileChannel.open(journalOf(snapshotFile), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    /** The journal beside a snapshot file. */
    static Path journalOf(Path snapshotFile) {
        return snapshotFile.resolveSibling(snapshotFile.getFileName() + ".journal");
    }

    /** Starts recording on top of {@code first}, which is written as the snapshot at once. */
    static CheckpointJournal start(Path snapshotFile, Checkpoint first) {
        try {
            CheckpointJournal j = new CheckpointJournal(snapshotFile, first.generation());
            j.compact(first, false);
            return j;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + snapshotFile, e);
        }
    }

    /** Appends one acknowledged batch. */
    void append(Checkpoint.Range range, long sent, long failed, List<SendResult.Failure> failures) {
        Map<String, Object> line = Map.of("g", generation, "first", range.first(), "last", range.last(), "sent", sent,
                "failed", failed, "failures", failures);
        byte[] bytes = (Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            journal.write(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to checkpoint journal " + journalOf(snapshotFile), e);
        }
    }

    /**
     * Writes {@code state} (which includes everything journaled so far) as the next generation's snapshot, then
     * empties the journal.
     *
     * @param sync also force the snapshot to disk
     */
    void compact(Checkpoint state, boolean sync) {
        Checkpoint next = new Checkpoint(state.version(), state.source(), state.queueUrl(), state.after(), state.done(),
                state.sent(), state.failed(), state.failures(), state.finished(), state.updatedAt(), generation + 1);
        try {
            next.write(snapshotFile, sync);
            generation++;
            journal.truncate(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + snapshotFile, e);
        }
    }

    @Override
    public void close() {
        try {
            journal.close();
        } catch (IOException e) {
            // nothing left to save
        }
    }

    /** The snapshot with the journal's lines of its generation applied. */
    static Checkpoint replay(Checkpoint snapshot, Path journalFile) {
        List<Checkpoint.Range> done = new ArrayList<>(snapshot.done());
        List<SendResult.Failure> failures = new ArrayList<>(snapshot.failures());
        long sent = snapshot.sent();
        long failed = snapshot.failed();
        int applied = 0;
        try (BufferedReader r = Files.newBufferedReader(journalFile, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode n;
                try {
                    n = Json.MAPPER.readTree(line);
                } catch (IOException torn) {
                    break; // the crash came mid-write: that batch counts as unacknowledged
                }
                if (n == null || n.path("g").asLong(-1) != snapshot.generation()) {
                    continue;
                }
                done.add(new Checkpoint.Range(n.path("first").asText(), n.path("last").asText()));
                sent += n.path("sent").asLong();
                failed += n.path("failed").asLong();
                for (JsonNode f : n.path("failures")) {
                    if (failures.size() < 1000) {
                        failures.add(Json.MAPPER.treeToValue(f, SendResult.Failure.class));
                    }
                }
                applied++;
            }
        } catch (NoSuchFileException e) {
            return snapshot;
        } catch (IOException e) {
            throw ProducerException.usage("cannot read checkpoint journal " + journalFile + ": " + e.getMessage());
        }
        if (applied == 0) {
            return snapshot;
        }
        return new Checkpoint(snapshot.version(), snapshot.source(), snapshot.queueUrl(), snapshot.after(), done, sent,
                failed, failures, snapshot.finished(), Instant.now(), snapshot.generation());
    }
}

package io.photopipe.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot + journal: what a resume reads after a crash at any point. */
class CheckpointJournalTest {
    @TempDir
    Path dir;

    static Checkpoint.Range r(String a, String b) {
        return new Checkpoint.Range(a, b);
    }

    @Test
    void journaledBatchesAreReplayedOnTopOfTheSnapshotAndATornLastLineIsIgnored() throws Exception {
        Path file = dir.resolve("cp.json");
        CheckpointJournal j = CheckpointJournal.start(file,
                new Checkpoint(1, "src", "q", "k09", List.of(), 10, 0, List.of(), false, null));
        j.append(r("k20", "k29"), 10, 0, List.of());
        j.append(r("k10", "k19"), 9, 1, List.of(new SendResult.Failure("k15", "MessageTooLarge", "big", true)));
        j.close();
        Files.writeString(CheckpointJournal.journalOf(file), "{\"g\":1,\"first\":\"k3", StandardOpenOption.APPEND);

        Checkpoint c = Checkpoint.read(file); // as a resume after a crash sees it

        assertThat(c.after()).isEqualTo("k09");
        assertThat(c.done()).containsExactlyInAnyOrder(r("k20", "k29"), r("k10", "k19"));
        assertThat(c.sent()).isEqualTo(29);
        assertThat(c.failed()).isEqualTo(1);
        assertThat(c.failures()).extracting(SendResult.Failure::id).containsExactly("k15");
        assertThat(c.isDone("k25")).isTrue();
        assertThat(c.isDone("k30")).isFalse(); // the torn line's batch is sent again
    }

    @Test
    void linesOfAnOlderGenerationAreAlreadyInTheSnapshot() throws Exception {
        Path file = dir.resolve("cp.json");
        CheckpointJournal j = CheckpointJournal.start(file,
                new Checkpoint(1, "src", "q", null, List.of(), 0, 0, List.of(), false, null));
        j.append(r("k00", "k09"), 10, 0, List.of());
        // a crash between writing the new snapshot and emptying the journal: simulate by rewriting the snapshot only
        Checkpoint compacted = new Checkpoint(1, "src", "q", "k09", List.of(), 10, 0, List.of(), false, null, 2);
        compacted.write(file, false);
        j.close();

        Checkpoint c = Checkpoint.read(file);

        assertThat(c.sent()).isEqualTo(10); // not 20
        assertThat(c.done()).isEmpty();
    }
}

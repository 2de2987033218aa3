package io.photopipe.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Out-of-order acknowledgements become a safe resume position. */
class AckTrackerTest {
    static Checkpoint.Range r(String a, String b) {
        return new Checkpoint.Range(a, b);
    }

    @Test
    void theWatermarkOnlyPassesContiguousBatchesAndTheRestIsKeptAsDoneRanges() {
        AckTracker t = new AckTracker(null, List.of());
        t.acknowledge(1, r("k10", "k19"));
        t.acknowledge(3, r("k30", "k39"));
        assertThat(t.after()).isNull();
        assertThat(t.done()).containsExactly(r("k10", "k19"), r("k30", "k39"));

        t.acknowledge(0, r("k00", "k09"));
        assertThat(t.after()).isEqualTo("k19");
        assertThat(t.done()).containsExactly(r("k30", "k39"));

        t.acknowledge(2, r("k20", "k29"));
        assertThat(t.after()).isEqualTo("k39");
        assertThat(t.done()).isEmpty();
    }

    @Test
    void aResumedCheckpointSkipsWhatWasDoneAheadAndForgetsItOnceThePositionPassesIt() {
        Checkpoint cp = new Checkpoint(1, "s", "q", "k19", List.of(r("k30", "k39")), 30, 0, List.of(), false, null);
        assertThat(cp.isDone("k15")).isTrue();
        assertThat(cp.isDone("k20")).isFalse();
        assertThat(cp.isDone("k35")).isTrue();
        assertThat(cp.isDone("k40")).isFalse();

        AckTracker t = new AckTracker(cp.after(), cp.done());
        t.acknowledge(0, r("k20", "k29"));
        assertThat(t.after()).isEqualTo("k29");
        assertThat(t.done()).containsExactly(r("k30", "k39")); // still needed: k30-k39 were not re-sent
        t.acknowledge(1, r("k40", "k49"));
        assertThat(t.after()).isEqualTo("k49");
        assertThat(t.done()).isEmpty();
    }

    @Test
    void cursorsCompareAsUtf8BytesLikeS3ListsKeys() {
        // U+FF21 (3 UTF-8 bytes, EF BC A1) sorts before U+1F600 (4 bytes, F0 9F 98 80) in UTF-8 but after it in UTF-16
        assertThat(KeySource.compareCursors("\uFF21", "\uD83D\uDE00")).isNegative();
        assertThat("\uFF21".compareTo("\uD83D\uDE00")).isPositive();
    }
}

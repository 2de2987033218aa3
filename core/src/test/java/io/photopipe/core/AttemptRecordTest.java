package io.photopipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.photopipe.core.AttemptRecord.Attempt;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AttemptRecordTest {
    private static final Instant T0 = Instant.parse("2026-12-08T10:00:00Z");

    private static Attempt started(String id, int rc, int minute) {
        Instant at = T0.plus(Duration.ofMinutes(minute));
        return Attempt.started(id, rc, 3, "etag", "env-" + rc, at, at.plusSeconds(60));
    }

    @Test
    void anAttemptThatNeverEndedIsACrashOnceItsDeadlineIsPast() {
        AttemptRecord r = AttemptRecord.empty("b", "uploads/a.jpg").with(started("m", 1, 0));
        Attempt a = r.latest("m").orElseThrow();
        assertThat(a.fate(T0.plusSeconds(30))).isEmpty(); // may still be running
        assertThat(a.fate(T0.plusSeconds(60 + 31))).hasValue(ReasonCodes.CRASHED_DURING_RENDER);
        assertThat(a.endedWith(ReasonCodes.TIMED_OUT, T0.plusSeconds(58)).fate(T0)).hasValue("timed-out");
    }

    @Test
    void aMessageMovedByTheQueueIsExplainedByItsLastAttempt() {
        Instant later = T0.plus(Duration.ofHours(1));
        AttemptRecord r = AttemptRecord.empty("b", "k")
                .with(started("m", 1, 0).endedWith("s3-unavailable", T0.plusSeconds(5)))
                .with(started("m", 2, 10).endedWith("timed-out", T0.plusSeconds(660)))
                .with(started("m", 3, 20))
                .with(started("other", 1, 21).endedWith("circuit-open", T0));
        assertThat(r.reasonFor("m", later)).hasValue("crashed-during-render");
        assertThat(r.reasonFor("other", later)).hasValue("retries-exhausted:circuit-open");
        assertThat(r.reasonFor("unknown", later)).isEmpty();
        assertThat(r.history("m", later)).contains("delivery 1: s3-unavailable (environment env-1",
                "delivery 2: timed-out", "delivery 3: crashed-during-render");
        // the photo failed for good: its latest attempt was the last delivery of a message
        assertThat(r.finalFailure("etag", later)).isEmpty(); // "other" (latest) was delivery 1 of 3
        AttemptRecord lastOnly = r.with(started("other", 3, 30));
        assertThat(lastOnly.finalFailure("etag", later)).hasValueSatisfying(f -> {
            assertThat(f.reasonCode()).isEqualTo("crashed-during-render");
            assertThat(f.reason()).contains("on delivery 3 of 3");
        });
        assertThat(lastOnly.finalFailure("another-etag", later)).isEmpty();
    }

    @Test
    void aRedrivenMessageStartsAFreshHistoryAndTheRecordStaysBounded() {
        AttemptRecord r = AttemptRecord.empty("b", "k").with(started("m", 1, 0)).with(started("m", 2, 1))
                .with(started("m", 3, 2));
        // moved back with its count reset: the old life's attempts are dropped
        AttemptRecord redriven = r.with(started("m", 1, 60));
        assertThat(redriven.of("m")).singleElement().satisfies(a -> assertThat(a.startedAt())
                .isEqualTo(T0.plus(Duration.ofMinutes(60))));
        AttemptRecord many = AttemptRecord.empty("b", "k");
        for (int i = 0; i < 30; i++) {
            many = many.with(started("m" + i, 1, i));
        }
        assertThat(many.attempts()).hasSize(AttemptRecord.MAX_ATTEMPTS).first()
                .satisfies(a -> assertThat(a.messageId()).isEqualTo("m10"));
    }

    @Test
    void roundTripsAsJsonAndRefusesOtherDocuments() {
        AttemptRecord r = AttemptRecord.empty("b", "k").with(started("m", 1, 0)
                .movedToDlq("not-an-image", "dlq-1", T0));
        assertThat(AttemptRecord.fromJson(r.toJson())).isEqualTo(r);
        assertThat(r.toJson()).doesNotContain("null");
        assertThat(r.reasonFor("m", T0)).hasValue("not-an-image");
        assertThatThrownBy(() -> AttemptRecord.fromJson("{\"attempts\":[{\"receiveCount\":1}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a photopipe attempt record");
    }
}

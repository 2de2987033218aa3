package io.photopipe.loadtest.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalingModelTest {

    @Test
    void awsRampFiveThenThreeHundredPerMinuteUpToTheCeiling() {
        ScalingModel m = ScalingModel.aws(1000, 1000, 2.0, 0);
        assertThat(m.concurrencyAt(0)).isEqualTo(5);
        assertThat(m.concurrencyAt(59.9)).isEqualTo(5);
        assertThat(m.concurrencyAt(60)).isEqualTo(305);
        assertThat(m.concurrencyAt(120)).isEqualTo(605);
        assertThat(m.concurrencyAt(180)).isEqualTo(905);
        assertThat(m.concurrencyAt(240)).isEqualTo(1000);
        assertThat(m.concurrencyAt(3600)).isEqualTo(1000);
    }

    @Test
    void drainOfAMillionAtFullRampIsExact() {
        // 2 s per photo: 5 envs for 60 s (150 photos), 305 (9,150), 605 (18,150), 905 (27,150), then 1000 at 500/s
        ScalingModel.Drain d = ScalingModel.aws(1000, 1000, 2.0, 0).drain(1_000_000);
        assertThat(d.seconds()).isCloseTo(240 + (1_000_000 - 54_600) / 500.0, within(1e-6));
        assertThat(d.peakConcurrency()).isEqualTo(1000);
        assertThat(d.rampSeconds()).isEqualTo(240);
    }

    @Test
    void maximumConcurrencyCapsTheRampAtTheFirstStep() {
        // ceiling 10: 5 for a minute (150 photos at 2 s each), then 10 at 5/s
        ScalingModel.Drain d = ScalingModel.aws(10, 1000, 2.0, 0).drain(1_000_000);
        assertThat(d.seconds()).isCloseTo(60 + (1_000_000 - 150) / 5.0, within(1e-6));
        assertThat(d.peakConcurrency()).isEqualTo(10);
    }

    @Test
    void accountConcurrencyIsACeilingToo() {
        assertThat(ScalingModel.aws(1000, 200, 1.0, 0).ceiling()).isEqualTo(200);
        assertThat(ScalingModel.aws(50, 200, 1.0, 0).ceiling()).isEqualTo(50);
    }

    @Test
    void aSmallBacklogDrainsBeforeTheFirstStep() {
        ScalingModel.Drain d = ScalingModel.aws(1000, 1000, 2.0, 0).drain(100);
        assertThat(d.seconds()).isCloseTo(40, within(1e-9)); // 5 envs at 0.5 photos/s each
        assertThat(d.peakConcurrency()).isEqualTo(5);
    }

    @Test
    void coldStartsDelayEachStep() {
        // local ramp 2, +2 per 10 s, ceiling 4, 1 s per photo, 5 s cold start: nothing until 5 s, 2/s until 15 s
        // (20 photos), then 4/s
        ScalingModel m = new ScalingModel(2, 2, Duration.ofSeconds(10), 4, 1.0, 5.0);
        assertThat(m.drain(20).seconds()).isCloseTo(15, within(1e-9));
        assertThat(m.drain(60).seconds()).isCloseTo(15 + 40 / 4.0, within(1e-9));
        assertThat(m.servingAt(4.9)).isZero();
        assertThat(m.servingAt(5)).isEqualTo(2);
    }

    @Test
    void theCurveEndsAtTheBacklogNearTheDrainTime() {
        ScalingModel m = new ScalingModel(2, 2, Duration.ofSeconds(10), 6, 0.5, 1.0);
        List<double[]> curve = m.curve(200, Duration.ofMillis(100));
        assertThat(curve.getLast()[1]).isEqualTo(200);
        assertThat(curve.getLast()[0]).isCloseTo(m.drain(200).seconds(), within(0.2));
    }

    @Test
    void nonsenseIsRefusedWithTheField() {
        assertThatThrownBy(() -> new ScalingModel(5, 300, Duration.ofMinutes(1), 10, 0, 0))
                .hasMessageContaining("secondsPerPhoto");
        assertThatThrownBy(() -> new ScalingModel(0, 300, Duration.ofMinutes(1), 10, 1, 0))
                .hasMessageContaining("initial");
    }
}

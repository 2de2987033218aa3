package io.photopipe.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadTestOptionsTest {

    private static LoadTestOptions parse(String... args) {
        LoadTestCommand c = new LoadTestCommand();
        new CommandLine(c).parseArgs(args);
        return c.options();
    }

    @Test
    void flagsReachTheOptions() {
        LoadTestOptions o = parse("upload-burst", "--users", "50", "--duration", "30s", "--profile", "ramp",
                "--max-e2e-p99", "45s", "--local-ramp", "5,300,60s", "--model-concurrency", "10,100",
                "--ports", "9100,9424,8180", "--tiny-presets");
        assertThat(o.scenario()).isEqualTo(Scenario.UPLOAD_BURST);
        assertThat(o.users()).isEqualTo(50);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.profile()).isEqualTo(Profile.RAMP);
        assertThat(o.maxE2eP99()).isEqualTo(Duration.ofSeconds(45));
        assertThat(o.localRamp()).isEqualTo(LoadTestOptions.Ramp.aws());
        assertThat(o.modelConcurrencies()).containsExactly(10, 100);
        assertThat(o.ports()).containsExactly(9100, 9424, 8180);
        assertThat(o.tinyPresets()).isTrue();
    }

    @Test
    void defaultsPerScenario() {
        assertThat(parse("poison-share").corruptPercent()).isEqualTo(20);
        assertThat(parse("upload-burst").corruptPercent()).isZero();
        assertThat(parse("mixed").arrivalRate()).isEqualTo(1.0); // 20 users over 20 s
        assertThat(parse("backfill-drain").modelBacklogs()).containsExactly(1_000_000L, 10_000_000L, 100_000_000L);
    }

    @Test
    void badValuesNameTheirFlag() {
        assertThatThrownBy(() -> parse("upload-burst", "--users", "0")).hasMessageStartingWith("--users:");
        assertThatThrownBy(() -> parse("upload-burst", "--duration", "soon")).hasMessageStartingWith("--duration:");
        assertThatThrownBy(() -> parse("upload-burst", "--profile", "wave")).hasMessageStartingWith("--profile:");
        assertThatThrownBy(() -> parse("poison-share", "--corrupt-percent", "0"))
                .hasMessageStartingWith("--corrupt-percent:");
        assertThatThrownBy(() -> parse("upload-burst", "--max-concurrency", "1"))
                .hasMessageStartingWith("--max-concurrency:");
        assertThatThrownBy(() -> parse("upload-burst", "--local-ramp", "5,300"))
                .hasMessageStartingWith("--local-ramp:");
        assertThatThrownBy(() -> parse("upload-burst", "--ports", "1,2"))
                .hasMessageStartingWith("--ports:");
        assertThatThrownBy(() -> parse("upload-burst", "--duration", "3h"))
                .hasMessageStartingWith("--duration:");
        assertThatThrownBy(() -> parse("burst")).hasMessageContaining("upload-burst, backfill-drain, mixed, poison-share");
    }

    @Test
    void durationsReadAndPrintLikePeopleWriteThem() {
        assertThat(Durations.parse("--x", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("--x", "90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("--x", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.format(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(Durations.format(Duration.ofSeconds(245))).isEqualTo("4m05s");
        assertThat(Durations.format(Duration.ofDays(3))).isEqualTo("3.0 days");
    }

    @Test
    void corruptUploadsAreSpreadEvenly() {
        PhotoSource photos = PhotoSource.create(null, null, "64x48", 20);
        long corrupt = 0;
        for (int i = 0; i < 100; i++) {
            if (photos.item(i).corrupt()) {
                corrupt++;
            }
            assertThat(corrupt).isEqualTo(photos.corruptAmong(i + 1));
        }
        assertThat(corrupt).isEqualTo(20);
        assertThat(photos.item(4).expect()).isEqualTo("failed");
        assertThat(photos.item(0).expect()).isEqualTo("ready");
    }
}

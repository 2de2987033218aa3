package io.photopipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.photopipe.core.PipelineSettings;
import io.photopipe.core.SettingsException;
import io.photopipe.worker.engine.EngineConfig;
import io.photopipe.worker.engine.ImageEngine;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmupTest {
    private final PipelineSettings settings = PipelineSettings.defaults();
    private final ImageEngine engine = new ImageEngine(EngineConfig.of(settings));

    @Test
    void primingIsFullOnlyWhereInitRunsAheadOfRequestsUnlessSetAndABadValueNamesTheVariable() {
        assertThat(Warmup.Mode.fromEnv(Map.<String, String>of()::get)).isEqualTo(Warmup.Mode.OFF);
        assertThat(Warmup.Mode.fromEnv(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")::get)).isEqualTo(Warmup.Mode.OFF);
        assertThat(Warmup.Mode.fromEnv(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")::get)).isEqualTo(Warmup.Mode.OFF);
        assertThat(Warmup.Mode.fromEnv(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "provisioned-concurrency")::get))
                .isEqualTo(Warmup.Mode.FULL);
        assertThat(Warmup.Mode.fromEnv(Map.of(Warmup.PRIMING, "init", "AWS_LAMBDA_INITIALIZATION_TYPE",
                "provisioned-concurrency")::get)).isEqualTo(Warmup.Mode.INIT);
        assertThat(Warmup.Mode.fromEnv(Map.of(Warmup.PRIMING, " OFF ")::get)).isEqualTo(Warmup.Mode.OFF);
        assertThat(Warmup.Mode.fromEnv(Map.of(Warmup.PRIMING, "full")::get)).isEqualTo(Warmup.Mode.FULL);
        assertThatThrownBy(() -> Warmup.Mode.fromEnv(Map.of(Warmup.PRIMING, "snapstart")::get))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("PHOTOPIPE_PRIMING").hasMessageContaining("'snapstart' is not a priming mode; use auto, init, full or off");
    }

    @Test
    void theSnapStartHookIsRegisteredEvenWithoutInitPrimingAndPrimesBeforeTheCheckpoint() throws Exception {
        Warmup.atInit(engine, settings.renditions(), Warmup.Mode.OFF);
        assertThat(Warmup.snapStartHook()).isNotNull();
        Warmup.snapStartHook().beforeCheckpoint(null); // what Lambda's runtime calls before the snapshot
        // the larger photo takes the reduced-decode and cascade paths through every default preset
        assertThat(Warmup.prime(engine, settings.renditions(), 2400, 1600)).isTrue();
    }
}

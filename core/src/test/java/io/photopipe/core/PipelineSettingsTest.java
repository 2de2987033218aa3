package io.photopipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PipelineSettingsTest {

    @Test
    void defaultsAreValidAndIncludeA128Thumb() {
        PipelineSettings s = PipelineSettings.defaults();
        assertThat(s.bucket()).isEqualTo("photopipe-photos");
        assertThat(s.inputPrefix()).isEqualTo("uploads/");
        assertThat(s.queue().name()).isEqualTo("photopipe-uploads");
        assertThat(s.queue().dlqName()).isEqualTo("photopipe-uploads-dlq");
        assertThat(s.renditions()).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("thumb");
            assertThat(r.width()).isEqualTo(128);
            assertThat(r.height()).isEqualTo(128);
        });
    }

    @Test
    void theApiDefaultsAreSecure() {
        PipelineSettings.Api api = PipelineSettings.defaults().api();
        assertThat(api.corsOrigins()).as("no CORS origin until the user names one").isEmpty();
        assertThat(api.reservedConcurrency()).isEqualTo(20);
        assertThat(api.uploadsPerClientPerMinute()).isEqualTo(120);
        assertThat(api.uploadUrlExpirySeconds()).isEqualTo(600);
    }

    @Test
    void apiLimitsAreValidated() {
        assertThatThrownBy(() -> PipelineSettings.fromJson("{\"api\":{\"reservedConcurrency\":0}}"))
                .isInstanceOf(SettingsException.class)
                .hasMessageEndingWith("api.reservedConcurrency: 0 must be from 1 to 1000");
        assertThatThrownBy(() -> PipelineSettings.fromJson("{\"api\":{\"uploadsPerClientPerMinute\":1001}}"))
                .isInstanceOf(SettingsException.class)
                .hasMessageEndingWith("api.uploadsPerClientPerMinute: 1001 must be from 1 to 1000");
    }

    @Test
    void userFileMergesOverDefaults() {
        PipelineSettings s = PipelineSettings.fromJson("{\"bucket\":\"my-photos\",\"worker\":{\"batchSize\":5}}");
        assertThat(s.bucket()).isEqualTo("my-photos");
        assertThat(s.worker().batchSize()).isEqualTo(5);
        assertThat(s.worker().memoryMb()).isEqualTo(PipelineSettings.defaults().worker().memoryMb());
    }

    @Test
    void jsonRoundTrips() {
        PipelineSettings s = PipelineSettings.defaults();
        assertThat(PipelineSettings.fromJson(s.toJson())).isEqualTo(s);
        assertThat(PipelineSettings.renditionsFromJson(PipelineSettings.renditionsToJson(s.renditions())))
                .isEqualTo(s.renditions());
    }

    @Test
    void errorsNameTheSetting() {
        assertThatThrownBy(() -> PipelineSettings.fromJson("{\"worker\":{\"batchSize\":20,\"batchingWindowSeconds\":0}}"))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("worker.batchingWindowSeconds");
        assertThatThrownBy(() -> PipelineSettings.fromJson("{\"queue\":{\"visibilityTimeoutSeconds\":30}}"))
                .hasMessageContaining("queue.visibilityTimeoutSeconds").hasMessageContaining("361");
        assertThatThrownBy(() -> PipelineSettings.fromJson("{\"outputPrefix\":\"uploads/thumbs/\"}"))
                .hasMessageContaining("outputPrefix").hasMessageContaining("overlaps");
        assertThatThrownBy(() -> PipelineSettings.fromJson("{\"bucekt\":\"x\"}"))
                .hasMessageContaining("bucekt");
        assertThatThrownBy(() -> PipelineSettings.fromJson(
                "{\"renditions\":[{\"name\":\"Bad Name\",\"width\":10,\"height\":10}]}"))
                .hasMessageContaining("renditions[Bad Name].name");
        assertThatThrownBy(() -> PipelineSettings.fromJson(
                "{\"renditions\":[{\"name\":\"a\",\"width\":10,\"height\":10,\"filters\":[\"blurr\"]}]}"))
                .hasMessageContaining("'blurr' is not a filter");
    }
}

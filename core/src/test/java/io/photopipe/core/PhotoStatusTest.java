package io.photopipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PhotoStatusTest {
    @Test
    void roundTripsAsJson() {
        PhotoStatus ready = PhotoStatus.ready("b", "uploads/x.jpg", "etag", "h",
                Map.of("thumb", new PhotoStatus.Output("b", "renditions/x.jpg/thumb.jpg", "image/jpeg", 128, 128, 99)));
        assertThat(PhotoStatus.fromJson(ready.toJson())).isEqualTo(ready);
        PhotoStatus failed = PhotoStatus.failed("b", "uploads/y.jpg", "e", "h", "not-an-image", "HTML, not a photo");
        assertThat(PhotoStatus.fromJson(failed.toJson()).reason()).isEqualTo("HTML, not a photo");
    }

    @Test
    void presetsHashChangesWithPresets() {
        PipelineSettings a = PipelineSettings.defaults();
        PipelineSettings b = PipelineSettings.fromJson("{\"jpegBackground\":\"#000000\"}");
        assertThat(a.presetsHash()).hasSize(16).isNotEqualTo(b.presetsHash());
        assertThat(a.presetsHash()).isEqualTo(PipelineSettings.defaults().presetsHash());
    }
}

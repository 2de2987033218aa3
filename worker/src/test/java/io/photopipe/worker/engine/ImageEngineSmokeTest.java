package io.photopipe.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.PipelineSettings;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ImageEngineSmokeTest {
    @Test
    void rendersTheDefaultPresetsOfAPlainJpeg() throws Exception {
        PipelineSettings s = PipelineSettings.defaults();
        ImageEngine engine = new ImageEngine(EngineConfig.of(s));
        RenderResult r = engine.render(bytes("camera_nokia_lumia820_starfish.jpg"), s.renditions());
        assertThat(r.outputs()).hasSize(s.renditions().size());
        assertThat(r.outputs().get(0).width()).isEqualTo(1024);
    }

    static byte[] bytes(String name) throws IOException {
        try (InputStream in = ImageEngineSmokeTest.class.getResourceAsStream("/corpus/images/" + name)) {
            return in.readAllBytes();
        }
    }
}

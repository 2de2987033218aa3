package io.photopipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputLayoutTest {
    private final OutputLayout layout = new OutputLayout("b", "uploads/", "b", "renditions/");
    private final Rendition thumb = new Rendition("thumb", 128, 128, Fit.COVER, ImageFormat.JPEG, 0.8, List.of());

    @Test
    void renditionKeysAreUnderTheOutputPrefix() {
        assertThat(layout.renditionKey("uploads/2024/cat.jpg", thumb)).isEqualTo("renditions/2024/cat.jpg/thumb.jpg");
    }

    @Test
    void outputsAreNeverInputs() {
        assertThat(layout.isInput("b", "renditions/2024/cat.jpg/thumb.jpg")).isFalse();
        assertThat(layout.isInput("b", "uploads/2024/cat.jpg")).isTrue();
        assertThat(layout.isInput("b", "elsewhere/cat.jpg")).isFalse();
        assertThat(layout.isInput("other", "uploads/cat.jpg")).isFalse();
        assertThat(layout.isInput("b", "uploads/folder/")).isFalse();
    }

    @Test
    void renditionsOfADeeperKeyAreNotRenditionsOfItsParent() {
        String deeper = layout.renditionKey("uploads/a.jpg/b.jpg", thumb);
        assertThat(layout.isRenditionOf("uploads/a.jpg", deeper)).isFalse();
        assertThat(layout.isRenditionOf("uploads/a.jpg", layout.renditionKey("uploads/a.jpg", thumb))).isTrue();
    }
}

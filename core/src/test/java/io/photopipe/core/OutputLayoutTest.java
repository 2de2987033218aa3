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

    @Test
    void unsafeKeysAreRefusedWithTheSegmentNamed() {
        assertThat(layout.refusal("uploads/2024/cat.jpg")).isEmpty();
        assertThat(layout.refusal("uploads/../renditions/x.jpg")).hasValueSatisfying(r -> assertThat(r)
                .contains("segment 1 of '../renditions/x.jpg'", "'..'"));
        assertThat(layout.refusal("uploads/a//b.jpg")).hasValueSatisfying(r -> assertThat(r).contains("segment 2", "empty"));
        assertThat(layout.refusal("uploads/a\\b.jpg")).hasValueSatisfying(r -> assertThat(r).contains("backslash"));
        assertThat(layout.refusal("uploads/a\u0000.jpg")).hasValueSatisfying(r -> assertThat(r)
                .contains("U+0000", "a\\u0000.jpg"));
        assertThat(layout.refusal("uploads/")).hasValueSatisfying(r -> assertThat(r).contains("only the input prefix"));
    }

    @Test
    void aKeyNearS3sLimitIsRefusedWhenItsOutputKeysWouldNotFit() {
        String fits = "uploads/" + "a".repeat(1024 - "renditions/".length() - 1 - OutputLayout.LONGEST_LEAF_BYTES);
        assertThat(layout.refusal(fits)).isEmpty();
        assertThat(layout.refusal(fits + "a")).hasValueSatisfying(r -> assertThat(r)
                .contains("up to 1025 bytes", "limit of 1024"));
    }

    @Test
    void theStatusAndAttemptDocumentsLiveBesideTheRenditions() {
        assertThat(layout.statusKey("uploads/a.jpg")).isEqualTo("renditions/a.jpg/_status.json");
        assertThat(layout.attemptKey("uploads/a.jpg")).isEqualTo("renditions/a.jpg/_attempt.json");
        assertThat(layout.isRenditionOf("uploads/a.jpg", layout.attemptKey("uploads/a.jpg"))).isTrue();
    }
}

package io.photopipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FilterTest {
    @Test
    void parsesNamesArgumentsDefaultsAndAliases() {
        assertThat(Filter.parse("grayscale").kind()).isEqualTo(Filter.Kind.GRAYSCALE);
        assertThat(Filter.parse("blur:3.5").amount()).isEqualTo(3.5);
        assertThat(Filter.parse("sepia").amount()).isEqualTo(1.0);
        assertThat(Filter.parse("vivid").kind()).isEqualTo(Filter.Kind.SATURATION);
        assertThat(Filter.parse("watermark:© photopipe: 2024").text()).isEqualTo("© photopipe: 2024");
        assertThat(Filter.parse(" Contrast : 1.5 ").toString()).isEqualTo("contrast:1.5");
    }

    @Test
    void rejectsBadArgumentsWithTheRange() {
        assertThatThrownBy(() -> Filter.parse("blur:100")).hasMessageContaining("0.5 to 50.0");
        assertThatThrownBy(() -> Filter.parse("sepia:x")).hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> Filter.parse("watermark")).hasMessageContaining("watermark needs a text");
        assertThatThrownBy(() -> Filter.parse("grayscale:2")).hasMessageContaining("takes no argument");
    }
}

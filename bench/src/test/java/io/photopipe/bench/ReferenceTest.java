package io.photopipe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReferenceTest {

    @Test
    void areaAverageIsTheMeanOfTheCoveredPixels() {
        // 4x2 -> 2x1: each output pixel averages a 2x2 block
        int[] src = {0x000000, 0x0000FF, 0xFF0000, 0xFF0000,
                     0x0000FF, 0x000000, 0x00FF00, 0x00FF00};
        int[] out = Reference.upright(src, 4, 2, 1).shrink(2, 1);
        assertThat(out).containsExactly(0x000080, 0x808000);
    }

    @Test
    void fractionalCoverageWeighsEdgePixelsByOverlap() {
        // 3 -> 2: output 0 covers pixel 0 fully and half of pixel 1
        int[] src = {0x000000, 0x000090, 0x0000F0};
        int[] out = Reference.upright(src, 3, 1, 1).shrink(2, 1);
        assertThat(out[0] & 0xFF).isEqualTo(Math.round(0x90 * 0.5f / 1.5f));
        assertThat(out[1] & 0xFF).isEqualTo(Math.round((0x90 * 0.5f + 0xF0) / 1.5f));
    }

    @Test
    void exifOrientationsTurnTheStoredPixelsUpright() {
        // stored 3x2:  a b c / d e f
        int[] s = {1, 2, 3, 4, 5, 6};
        assertThat(pixels(s, 6)).containsExactly(4, 1, 5, 2, 6, 3); // rotate 90 CW: 2x3
        assertThat(pixels(s, 8)).containsExactly(3, 6, 2, 5, 1, 4); // rotate 270 CW
        assertThat(pixels(s, 3)).containsExactly(6, 5, 4, 3, 2, 1);
        assertThat(pixels(s, 2)).containsExactly(3, 2, 1, 6, 5, 4);
        assertThat(pixels(s, 4)).containsExactly(4, 5, 6, 1, 2, 3);
        assertThat(pixels(s, 5)).containsExactly(1, 4, 2, 5, 3, 6); // transpose
        assertThat(pixels(s, 7)).containsExactly(6, 3, 5, 2, 4, 1); // transverse
        assertThat(Reference.upright(s, 3, 2, 6).width()).isEqualTo(2);
    }

    @Test
    void psnrIsInfiniteForIdenticalImagesAndFollowsTheMeanSquaredError() {
        assertThat(Quality.psnr(new int[] {0x102030}, new int[] {0x102030})).isEqualTo(100);
        // every channel off by 16: MSE 256, PSNR = 10 log10(255^2 / 256) = 24.05 dB
        assertThat(Quality.psnr(new int[] {0x000000, 0x101010}, new int[] {0x101010, 0x202020}))
                .isCloseTo(24.05, org.assertj.core.data.Offset.offset(0.01));
        assertThatThrownBy(() -> Quality.psnr(new int[1], new int[2])).hasMessageContaining("differ in size");
    }

    private static int[] pixels(int[] stored, int orientation) {
        Reference r = Reference.upright(stored, 3, 2, orientation);
        return r.shrink(r.width(), r.height());
    }
}

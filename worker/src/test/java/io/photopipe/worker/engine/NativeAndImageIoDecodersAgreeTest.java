package io.photopipe.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native decoders (libjpeg-turbo with DCT scaling then our ICC conversion, libwebp, giflib, libtiff) and the
 * ImageIO path (subsampling, TwelveMonkeys' ICC conversion) give the same pictures: each runs in its own JVM
 * ({@code -Dphotopipe.native=off} for the second) on the same files, including the ones the native path hands to
 * ImageIO (CMYK).
 */
class NativeAndImageIoDecodersAgreeTest {

    private static final List<String> FILES = List.of("camera_nokia_lumia820_starfish.jpg", "orient1_Landscape_1.jpg",
            "orient2_Landscape_2.jpg", "orient6_Landscape_6.jpg", "progressive_video-001.progressive.jpeg",
            "baseline_testorig.jpg", "cmyk_adobe_video-001.cmyk.jpeg", "webp_lossy_yellow_rose.lossy.webp",
            "webp_lossless_yellow_rose.lossless.webp", "webp_lossy_alpha_yellow_rose.lossy-with-alpha.webp",
            "gif_static_video-001.gif", "tiff_video-001.tiff");

    @Test
    void nativeAndImageIoDecodingAgree(@TempDir Path dir) throws Exception {
        assumeTrue(Codecs.nativeAvailable(), Codecs.nativeStatus());
        Path fast = Files.createDirectory(dir.resolve("native"));
        Path slow = Files.createDirectory(dir.resolve("imageio"));
        ChildJvm.Result on = ChildJvm.run(command(fast, "--enable-native-access=ALL-UNNAMED"), 120);
        ChildJvm.Result off = ChildJvm.run(command(slow, "-Dphotopipe.native=off"), 120);
        assertThat(on.exitCode()).as(on.output()).isZero();
        assertThat(off.exitCode()).as(off.output()).isZero();
        assertThat(on.output()).contains("decoder=native leptonica-").contains("native-jpeg=6").contains("native-webp=3")
                .contains("native-gif=1").contains("imageio=1"); // the CMYK JPEG
        assertThat(off.output()).contains("decoder=ImageIO").contains("imageio=" + FILES.size());
        assertThat(on.output()).contains("webp=writable");
        assertThat(off.output()).as("no WebP writer without the native codecs: refused at start-up, naming the rendition")
                .contains("webp=refused: renditions[w].format").contains("native codecs only");
        for (String name : FILES) {
            var a = TestImages.decode(Files.readAllBytes(fast.resolve(name + ".png")));
            var b = TestImages.decode(Files.readAllBytes(slow.resolve(name + ".png")));
            // different scaling methods (DCT vs subsampling), IDCTs and VP8 upsampling: small differences
            assertThat(TestImages.meanDiff(a, b)).as(name).isLessThan(6);
        }
    }

    private static List<String> command(Path out, String jvmArg) {
        List<String> cmd = new ArrayList<>(ChildJvm.javaCommand(jvmArg));
        cmd.add("png");
        cmd.add(out.toString());
        cmd.addAll(FILES);
        return cmd;
    }
}

package io.photopipe.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.photopipe.worker.engine.internal.TurboJpeg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native libjpeg-turbo path (DCT scaling, then our ICC conversion) and the ImageIO path (subsampling,
 * TwelveMonkeys' ICC conversion) give the same pictures: each runs in its own JVM on the same JPEGs.
 */
class JpegDecodersAgreeTest {

    private static final List<String> JPEGS = List.of("camera_nokia_lumia820_starfish.jpg", "orient1_Landscape_1.jpg",
            "orient2_Landscape_2.jpg", "orient6_Landscape_6.jpg", "progressive_video-001.progressive.jpeg",
            "baseline_testorig.jpg");

    @Test
    void nativeAndImageIoJpegDecodingAgree(@TempDir Path dir) throws Exception {
        assumeTrue(TurboJpeg.available(), "libturbojpeg.so.0 is not installed (Debian: libturbojpeg0)");
        Path fast = Files.createDirectory(dir.resolve("turbo"));
        Path slow = Files.createDirectory(dir.resolve("imageio"));
        ChildJvm.Result on = ChildJvm.run(command(fast, "--enable-native-access=ALL-UNNAMED"), 120);
        ChildJvm.Result off = ChildJvm.run(command(slow, "-Dphotopipe.turbojpeg=off"), 120);
        assertThat(on.output()).contains("decoder=libjpeg-turbo");
        assertThat(off.output()).contains("decoder=ImageIO");
        for (String name : JPEGS) {
            var a = TestImages.decode(Files.readAllBytes(fast.resolve(name + ".png")));
            var b = TestImages.decode(Files.readAllBytes(slow.resolve(name + ".png")));
            // different scaling methods (DCT vs subsampling) and IDCTs: small differences, same picture
            assertThat(TestImages.meanDiff(a, b)).as(name).isLessThan(6);
        }
    }

    private static List<String> command(Path out, String jvmArg) {
        List<String> cmd = new ArrayList<>(ChildJvm.javaCommand(jvmArg));
        cmd.add("png");
        cmd.add(out.toString());
        cmd.addAll(JPEGS);
        return cmd;
    }
}

package io.photopipe.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's heavy small files (an 816 KB TIFF with 200 samples per pixel, a 257 KB 33,000,000 x 1 16-bit RGBA PNG,
 * a 0.7 MB progressive 4:4:4 120 MP JPEG whose 687 MB of coefficients libjpeg holds natively) in child JVMs started as Lambda's Java runtime starts a function of that
 * memory: each ends rendered or {@code too-complex} (never {@code corrupt}, never an OutOfMemoryError), four at once
 * stay within the budget, and the process's peak resident memory stays under the function's memory, as Lambda
 * requires of an environment.
 */
class HeavySmallFilesTest {

    @TempDir
    static Path dir;

    static Path tiff;
    static Path png;
    static Path jpeg;

    @BeforeAll
    static void writeFiles() throws Exception {
        tiff = dir.resolve("tiff_2048x2048x200.tif");
        png = dir.resolve("png_33000000x1_rgba16.png");
        jpeg = dir.resolve("jpeg_progressive444_12000x10000.jpg");
        HeavyFiles.manySampleTiff(tiff, 2048, 2048, 200);
        HeavyFiles.wideRgba16Png(png, 33_000_000);
        HeavyFiles.progressive444Jpeg(jpeg, 12_000, 10_000);
    }

    @Test
    void inA1024MbFunctionEachIsRejectedAsTooComplexFromItsHeaderWithTheFigure() throws Exception {
        String out = run(1024, Map.of(), "default", tiff, png, jpeg);
        assertThat(outcome(out, tiff)).startsWith("too-complex").contains("200 samples per pixel")
                .contains("limits.maxSamplesPerPixel");
        assertThat(outcome(out, png)).startsWith("too-complex").contains("33000000:1").contains("limits.maxAspectRatio");
        assertThat(outcome(out, jpeg)).startsWith("too-complex").contains("needs ~")
                .contains("progressive: 687 MB of DCT coefficients").contains("more than the 409.6 MB memory budget");
        String raised = run(1024, Map.of(), "raised", tiff, png);
        assertThat(outcome(raised, tiff)).as("the budget alone").startsWith("too-complex")
                .contains("2048x2048 x 200 samples x 8 bit").contains("more than the 409.6 MB memory budget");
        assertThat(outcome(raised, png)).startsWith("too-complex").contains("33000000x1 x 4 samples x 16 bit");
        assertThat(peakRss(out)).isLessThan(1024);
    }

    @Test
    void inA2048MbFunctionFourProgressiveGiantsAtOnceRenderOneByOneUnderTheFunctionsMemory() throws Exception {
        String out = run(2048, Map.of(), "default", jpeg, copy("b"), copy("c"), copy("d"));
        for (String name : List.of(jpeg.getFileName().toString(), "b.jpg", "c.jpg", "d.jpg")) {
            assertThat(outcome(out, dir.resolve(name))).as(out).startsWith("rendered 7");
        }
        assertThat(out).contains("native-jpeg=4");
        assertThat(number(out, "peakBudgetMb")).as("within the budget").isLessThanOrEqualTo(number(out, "budgetMb"));
        assertThat(peakRss(out)).as(out).isLessThan(2048);
    }

    @Test
    void throughImageIoTheJdksLibjpegCoefficientsCountToo() throws Exception {
        String out = run(2048, Map.of("PHOTOPIPE_NATIVE", "off"), "default", jpeg);
        assertThat(outcome(out, jpeg)).as(out).startsWith("rendered 7");
        assertThat(out).contains("imageio=1");
        assertThat(peakRss(out)).as(out).isLessThan(2048);
    }

    @Test
    void anOutOfMemoryErrorInsideImageIoIsRethrownNotCalledCorrupt() throws Exception {
        Path big = dir.resolve("png_4000x4000.png");
        LargePhotoMemoryTest.writeStripedPng(big, 4000, 4000);
        List<String> cmd = new ArrayList<>(ChildJvm.javaCommand("-Xmx40m", "-Dphotopipe.native=off"));
        cmd.addAll(List.of("oom", big.toString()));
        ChildJvm.Result r = ChildJvm.run(cmd, 120);
        assertThat(r.output()).contains("outcome OutOfMemoryError").doesNotContain("corrupt");
    }

    private static Path copy(String name) throws Exception {
        Path p = dir.resolve(name + ".jpg");
        if (!java.nio.file.Files.exists(p)) {
            java.nio.file.Files.copy(jpeg, p);
        }
        return p;
    }

    /** A child JVM with Lambda's flags for {@code memoryMb} and its memory variable, rendering {@code files} at once. */
    private static String run(int memoryMb, Map<String, String> env, String caps, Path... files) throws Exception {
        List<String> cmd = new ArrayList<>(ChildJvm.javaCommand(ChildJvm.lambdaFlags(memoryMb).toArray(String[]::new)));
        cmd.add("heavy");
        cmd.add(caps);
        for (Path f : files) {
            cmd.add(f.toString());
        }
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        ChildJvm.Result r = ChildJvm.run(cmd, all, 180);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain(" corrupt ").doesNotContain("OutOfMemoryError").doesNotContain(" error ");
        return r.output();
    }

    private static String outcome(String out, Path file) {
        Matcher m = Pattern.compile("outcome " + Pattern.quote(file.getFileName().toString()) + " (.*)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    private static long peakRss(String out) {
        long rss = number(out, "vmHwmMb");
        assertThat(rss).as("VmHWM read from /proc/self/status").isPositive();
        return rss;
    }

    private static long number(String out, String key) {
        Matcher m = Pattern.compile(key + "=(-?\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Long.parseLong(m.group(1));
    }
}

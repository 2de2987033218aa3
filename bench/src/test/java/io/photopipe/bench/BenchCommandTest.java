package io.photopipe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

    @TempDir
    Path photos;

    @Test
    void threeRenditionsWorkloadReportsThroughputMemoryCodecsAndPsnrOfUprightRenditions() throws Exception {
        copy("orient6_Landscape_6.jpg");
        copy("orient8_Landscape_8.jpg");
        Run run = run("--photos", photos.toString(), "--workload", "three-renditions", "--threads", "1",
                "--rounds", "1", "--warmup", "0", "--skip-naive", "--skip-vips", "--json");

        assertThat(run.exit).as(run.err).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out);
        assertThat(json.get("workload").asText()).isEqualTo("three-renditions");
        assertThat(json.get("renditions")).extracting(JsonNode::asText).containsExactly("large", "medium", "thumb");
        assertThat(json.get("codecs").get("jpeg").asText()).startsWith("decode native libjpeg-turbo");
        assertThat(json.get("nativeCodecs").asText()).contains("leptonica");
        JsonNode engine = json.get("results").get(0);
        assertThat(engine.get("name").asText()).isEqualTo("engine");
        assertThat(engine.get("photos").asInt()).isEqualTo(2);
        assertThat(engine.get("outputBytes").asLong()).isPositive();
        assertThat(engine.get("heapPerPhotoInFlightMb").asDouble()).isPositive();
        assertThat(engine.get("nativePerPhotoInFlightMb").isNumber()).isTrue();
        // 2 photos x 3 renditions against the reference; both are rotated (EXIF 6 and 8) and carry a non-sRGB ICC
        // profile: a wrong turn or a missed profile on either side would score far below 30 dB
        assertThat(engine.get("psnrRenditions").asInt()).isEqualTo(6);
        assertThat(engine.get("psnrDb").asDouble()).isGreaterThan(30);
    }

    @Test
    void anUnknownWorkloadIsABadArgument() {
        Run run = run("--photos", photos.toString(), "--workload", "four-renditions");
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("'four-renditions' is not a workload; use presets or three-renditions");
    }

    @Test
    void anEmptyFolderSaysWhereItLooked() {
        Run run = run("--photos", photos.toString(), "--skip-vips");
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("no photos found in " + photos.toAbsolutePath());
    }

    private void copy(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/photos/" + name)) {
            Files.copy(in, photos.resolve(name));
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        BenchCommand command = new BenchCommand();
        command.progress = Progress.none();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}

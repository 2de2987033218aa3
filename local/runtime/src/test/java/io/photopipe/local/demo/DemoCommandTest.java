package io.photopipe.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.PipelineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @Test
    void theDemoEmptiesOnlyItsOwnDirectory(@TempDir Path dir) throws Exception {
        Path someoneElses = dir.resolve("mine");
        Files.createDirectories(someoneElses);
        Files.writeString(someoneElses.resolve("thesis.tex"), "precious");
        assertThat(DemoCommand.emptyDemoDirectory(someoneElses)).isFalse();
        assertThat(someoneElses.resolve("thesis.tex")).exists();

        Path demo = dir.resolve("demo");
        assertThat(DemoCommand.emptyDemoDirectory(demo)).isTrue(); // new: created and marked
        Files.writeString(demo.resolve("old-gallery.html"), "x");
        assertThat(DemoCommand.emptyDemoDirectory(demo)).isTrue(); // marked: emptied
        assertThat(demo.resolve("old-gallery.html")).doesNotExist();
        assertThat(demo.resolve(DemoCommand.MARKER)).exists();
    }

    @Test
    void concurrencyIsCappedForSmallMachinesUnlessAsked() {
        PipelineSettings defaults = PipelineSettings.defaults(); // maxConcurrency 10
        int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
        assertThat(DemoCommand.withConcurrency(defaults, null).worker().maxConcurrency())
                .isEqualTo(Math.min(10, cores));
        assertThat(DemoCommand.withConcurrency(defaults, 4).worker().maxConcurrency()).isEqualTo(4);
        assertThat(DemoCommand.withConcurrency(defaults, 4).renditions()).isEqualTo(defaults.renditions());
    }
}

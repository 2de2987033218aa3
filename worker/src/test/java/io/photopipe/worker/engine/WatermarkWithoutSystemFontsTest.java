package io.photopipe.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lambda's Java runtimes have no fonts and no fontconfig; there a plain JDK cannot draw text at all ("Fontconfig
 * head is null", even with {@code Font.createFont}). This runs the engine in a child JVM whose view of the file system
 * has no fonts (a private mount namespace with empty tmpfs over the font directories; needs root and util-linux
 * {@code unshare}, else the test is skipped) and checks the watermark is still drawn with the shipped font.
 */
class WatermarkWithoutSystemFontsTest {

    @Test
    void theWatermarkRendersWithNoSystemFonts() throws Exception {
        assumeTrue(canUnshare(), "needs root and 'unshare -m' to hide the system fonts");
        String java = String.join(" ", quoted(ChildJvm.javaCommand("-Djava.awt.headless=true")));
        String hide = "for d in /usr/share/fonts /usr/local/share/fonts /etc/fonts /root/.fonts /root/.local/share/fonts; "
                + "do [ -d \"$d\" ] && mount -t tmpfs none \"$d\"; done; ";
        ChildJvm.Result result = ChildJvm.run(List.of("unshare", "-m", "sh", "-c",
                hide + "exec " + java + " watermark"), 120);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as("fonts hidden in the child").contains("systemFonts=0");
        int changed = Integer.parseInt(result.output().replaceAll("(?s).*changed=(\\d+).*", "$1"));
        assertThat(changed).as(result.output()).isGreaterThan(100);
    }

    private static boolean canUnshare() {
        try {
            return ChildJvm.run(List.of("unshare", "-m", "sh", "-c", "mount -t tmpfs none /mnt && echo ok"), 20)
                    .output().contains("ok");
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String> quoted(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            out.add("'" + a.replace("'", "'\\''") + "'");
        }
        return out;
    }
}

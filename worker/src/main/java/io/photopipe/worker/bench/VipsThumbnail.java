package io.photopipe.worker.bench;

import io.photopipe.core.ImageFormat;
import io.photopipe.core.Rendition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The speed reference: libvips' {@code vipsthumbnail} run once per rendition (a process each, as the issue measured
 * it), when it is on the PATH (Debian: {@code libvips-tools}). No filters; the photo is written to a temp file once.
 */
final class VipsThumbnail implements Contender {

    static boolean available() {
        try {
            Process p = new ProcessBuilder("vipsthumbnail", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String name() {
        return "libvips vipsthumbnail";
    }

    @Override
    public long render(byte[] photo, List<Rendition> renditions) throws Exception {
        Path dir = Files.createTempDirectory("vips");
        try {
            Path in = dir.resolve("in");
            Files.write(in, photo);
            long bytes = 0;
            for (Rendition r : renditions) {
                if (r.format() == ImageFormat.WEBP) {
                    continue;
                }
                Path out = dir.resolve(r.name() + "." + r.format().extension());
                List<String> cmd = new ArrayList<>(List.of("vipsthumbnail", in.toString(), "--size",
                        r.width() + "x" + r.height() + switch (r.fit()) {
                            case FIT -> ">";
                            case COVER -> "";
                            case EXACT -> "!";
                        }));
                if (r.fit() == io.photopipe.core.Fit.COVER) {
                    cmd.addAll(List.of("--smartcrop", "centre"));
                }
                String options = r.format() == ImageFormat.JPEG
                        ? String.format(Locale.ROOT, "[Q=%d,optimize_coding,strip]", Math.round(r.quality() * 100))
                        : "[strip]";
                cmd.addAll(List.of("-o", out + options));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                byte[] log = p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) {
                    throw new IOException("vipsthumbnail failed: " + new String(log));
                }
                bytes += Files.size(out);
                Files.delete(out);
            }
            return bytes;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}

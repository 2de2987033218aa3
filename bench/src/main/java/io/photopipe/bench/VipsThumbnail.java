package io.photopipe.bench;

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
 * JPEG, WebP and PNG outputs, metadata stripped.
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
    public boolean inProcess() {
        return false;
    }

    @Override
    public List<byte[]> render(byte[] photo, List<Rendition> renditions) throws Exception {
        Path dir = Files.createTempDirectory("vips");
        try {
            Path in = dir.resolve("in");
            Files.write(in, photo);
            List<byte[]> outputs = new ArrayList<>();
            for (Rendition r : renditions) {
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
                long q = Math.round(r.quality() * 100);
                String options = switch (r.format()) {
                    case JPEG -> String.format(Locale.ROOT, "[Q=%d,optimize_coding,strip]", q);
                    case WEBP -> String.format(Locale.ROOT, "[Q=%d,strip]", q);
                    default -> "[strip]";
                };
                cmd.addAll(List.of("-o", out + options));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                byte[] log = p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) {
                    throw new IOException("vipsthumbnail failed: " + new String(log));
                }
                outputs.add(Files.readAllBytes(out));
                Files.delete(out);
            }
            return outputs;
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

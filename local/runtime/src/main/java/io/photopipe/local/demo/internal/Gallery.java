package io.photopipe.local.demo.internal;

import io.photopipe.core.PhotoStatus;
import io.photopipe.core.Rendition;
import io.photopipe.core.PipelineSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes the demo's HTML gallery: each original beside its renditions, with names, dimensions and sizes, and the
 * failures with their reasons. Images are copied next to the page, so it opens offline from disk.
 */
public final class Gallery {
    private Gallery() {
    }

    /** Writes {@code dir/index.html} and the images; returns the page. */
    public static Path write(Path dir, S3Client s3, PipelineSettings settings, DemoRun.Report report,
                             List<String> summary, Path attribution) throws IOException {
        Files.createDirectories(dir.resolve("img"));
        StringBuilder html = new StringBuilder();
        html.append("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>photopipe demo</title>
                <style>
                body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;background:#fafafa;color:#222}
                h1{margin-bottom:.2rem} pre{background:#fff;border:1px solid #ddd;padding:1rem;white-space:pre-wrap}
                .photo{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1rem;margin:1rem 0}
                .row{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end}
                figure{margin:0;text-align:center} figcaption{font-size:.8rem;color:#555;margin-top:.3rem}
                img{display:block;max-height:220px;max-width:320px;border:1px solid #eee;background:#f0f0f0}
                .original img{max-width:420px;max-height:300px}
                table{border-collapse:collapse;background:#fff} td,th{border:1px solid #ddd;padding:.4rem .6rem;text-align:left}
                code{font-size:.85rem}
                </style></head><body>
                <h1>photopipe demo</h1>
                <p>Photos uploaded to the local S3, turned into renditions by the worker through S3 notifications, SQS and
                the emulated Lambda event source mapping. Originals on the left, renditions beside them.</p>
                """);
        html.append("<pre>").append(esc(String.join("\n", summary))).append("</pre>\n");

        List<PhotoRecord> failed = report.photos().stream().filter(PhotoRecord::failed).toList();
        if (!failed.isEmpty()) {
            html.append("<h2>Failures (").append(failed.size()).append(")</h2>\n<table><tr><th>file</th><th>code</th>"
                    + "<th>reason (from the DLQ message attributes)</th></tr>\n");
            for (PhotoRecord r : failed) {
                html.append("<tr><td><code>").append(esc(r.key())).append("</code></td><td>")
                        .append(esc(r.status().reasonCode())).append("</td><td>")
                        .append(esc(r.dlqReason() != null ? r.dlqReason() : r.status().reason()))
                        .append("</td></tr>\n");
            }
            html.append("</table>\n");
        }

        html.append("<h2>Photos</h2>\n");
        int index = 0;
        for (PhotoRecord r : report.photos()) {
            if (!r.ready()) {
                continue;
            }
            index++;
            Path imgDir = dir.resolve("img").resolve(Integer.toString(index));
            Files.createDirectories(imgDir);
            String originalName = "original-" + r.source().getFileName();
            Files.copy(r.source(), imgDir.resolve(originalName), StandardCopyOption.REPLACE_EXISTING);
            html.append("<div class=\"photo\"><h3><code>").append(esc(r.key())).append("</code></h3>\n<div class=\"row\">");
            html.append("<figure class=\"original\"><img loading=\"lazy\" src=\"img/").append(index).append('/')
                    .append(url(originalName)).append("\" alt=\"original\"><figcaption>original · ")
                    .append(dimensions(r.source())).append(" · ").append(bytes(r.bytes())).append("</figcaption></figure>");
            for (Rendition rendition : settings.renditions()) {
                PhotoStatus.Output o = r.status().renditions().get(rendition.name());
                if (o == null) {
                    continue;
                }
                String file = rendition.name() + "." + rendition.format().extension();
                Files.write(imgDir.resolve(file), s3.getObjectAsBytes(b -> b.bucket(o.bucket()).key(o.key()))
                        .asByteArray());
                html.append("<figure><img loading=\"lazy\" src=\"img/").append(index).append('/').append(url(file))
                        .append("\" alt=\"").append(esc(rendition.name())).append("\"><figcaption><b>")
                        .append(esc(rendition.name())).append("</b> · ").append(o.width()).append('×')
                        .append(o.height()).append(" · ").append(bytes(o.bytes())).append("<br><code>")
                        .append(esc(String.join(" ", rendition.filters().stream().map(Object::toString).toList())))
                        .append("</code></figcaption></figure>");
            }
            html.append("</div></div>\n");
        }
        // The sample photos are CC-BY / CC-BY-SA: their credits go wherever they are shown.
        if (attribution != null && Files.isRegularFile(attribution)) {
            html.append("<h2>Photo credits</h2>\n<pre>").append(esc(Files.readString(attribution))).append("</pre>\n");
        }
        html.append("</body></html>\n");
        Path page = dir.resolve("index.html");
        Files.writeString(page, html);
        return page;
    }

    /** Width×height from the image header, without decoding it; "?" when the JDK cannot read it. */
    static String dimensions(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return "?";
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return reader.getWidth(0) + "×" + reader.getHeight(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
    }

    private static String url(String name) {
        return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

}

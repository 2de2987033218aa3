package io.photopipe.producer;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Photos for a burst: read from a folder, or generated as JPEGs of given sizes. */
public final class Photos {
    private Photos() {
    }

    /** A size to generate, e.g. "1024x768". */
    public record Size(int width, int height) {
        public static Size parse(String s) {
            String[] p = s.toLowerCase(Locale.ROOT).split("x");
            try {
                Size size = new Size(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
                if (size.width < 1 || size.height < 1 || (long) size.width * size.height > 100_000_000L) {
                    throw new NumberFormatException();
                }
                return size;
            } catch (RuntimeException e) {
                throw ProducerException.usage("--sizes: '" + s + "' is not WIDTHxHEIGHT (e.g. 1024x768, at most "
                        + "100 megapixels)");
            }
        }
    }

    /**
     * {@code count} photos cycling over the images of a folder, keys {@code <prefix><n>-<file name>}.
     */
    public static List<Burst.Photo> fromFolder(Path dir, int count, String prefix) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> contentType(p.getFileName().toString()) != null)
                    .sorted().toList();
        } catch (IOException e) {
            throw ProducerException.usage("cannot read folder " + dir + ": " + e);
        }
        if (files.isEmpty()) {
            throw ProducerException.usage("no photos (jpg, png, webp, gif, tiff, bmp) in " + dir);
        }
        List<byte[]> bytes = new ArrayList<>();
        for (Path f : files) {
            try {
                bytes.add(Files.readAllBytes(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<Burst.Photo> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = files.get(i % files.size()).getFileName().toString();
            out.add(new Burst.Photo(String.format(Locale.ROOT, "%s%06d-%s", prefix, i, name), name, contentType(name),
                    bytes.get(i % files.size())));
        }
        return out;
    }

    /** {@code count} generated JPEGs cycling over the sizes (one encode per size), keys {@code <prefix><n>-WxH.jpg}. */
    public static List<Burst.Photo> generated(List<Size> sizes, int count, String prefix, long seed) {
        List<byte[]> encoded = new ArrayList<>();
        Random random = new Random(seed);
        for (Size s : sizes) {
            encoded.add(jpeg(s.width(), s.height(), random));
        }
        List<Burst.Photo> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Size s = sizes.get(i % sizes.size());
            String name = s.width() + "x" + s.height() + ".jpg";
            out.add(new Burst.Photo(String.format(Locale.ROOT, "%s%06d-%s", prefix, i, name), name, "image/jpeg",
                    encoded.get(i % sizes.size())));
        }
        return out;
    }

    /** A photo-like JPEG: gradients and noise, so it compresses like a photo rather than a flat colour. */
    public static byte[] jpeg(int width, int height, Random random) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(random.nextInt(0xffffff)), width, height,
                new Color(random.nextInt(0xffffff))));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 40; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), 90));
            int w = 1 + random.nextInt(Math.max(1, width / 3));
            int h = 1 + random.nextInt(Math.max(1, height / 3));
            g.fillOval(random.nextInt(width), random.nextInt(height), w, h);
        }
        g.dispose();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            img.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int n = random.nextInt(17) - 8;
                int c = row[x];
                row[x] = clamp(((c >> 16) & 255) + n) << 16 | clamp(((c >> 8) & 255) + n) << 8 | clamp((c & 255) + n);
            }
            img.setRGB(0, y, width, 1, row, 0, width);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.88f);
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static int clamp(int v) {
        return Math.clamp(v, 0, 255);
    }

    /** The content type of a photo file name, or null if it is not one. */
    public static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? null : ObjectFilter.TYPES_BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}

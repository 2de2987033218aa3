package io.photopipe.loadtest.chaos;

import io.photopipe.producer.Photos;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The chaos run's photo library: N objects, seeded, of these kinds (most generated on demand, so a big library
 * costs no memory until it is uploaded):
 * <ul>
 *   <li>{@code photo}: generated photo-like JPEGs of varied sizes (0.08-12 MP);</li>
 *   <li>{@code real}: copies of the real files of the photo folders ({@code samples/photos}, the shared corpus);</li>
 *   <li>{@code bad}: truncated, empty, not an image, a PNG bomb (tiny file, 2.5 Gpx);</li>
 *   <li>{@code heavy}: small files that are heavy to decode: a 33,000,000 x 1 16-bit RGBA PNG (~260 KB, 1 GB
 *       decoded) and a 10,000 x 10,000 RGBA PNG (~400 KB, 400 MB decoded), the shapes issue 10 saw;</li>
 *   <li>{@code awkward}: generated photos under awkward keys (spaces, unicode, {@code +}, {@code %}, dot segments,
 *       double slashes, nearly 1,024 bytes).</li>
 * </ul>
 */
final class Library {
    /** One object to upload. */
    record Item(int index, String key, String kind, String contentType, Supplier<byte[]> bytes) {
    }

    /** Generated photo sizes and their weights (percent). */
    private static final int[][] SIZES = {{320, 240, 22}, {640, 480, 25}, {1024, 768, 20}, {1600, 1200, 15},
            {2400, 1800, 11}, {3000, 2000, 5}, {4000, 3000, 2}};
    private static final String[] AWKWARD = {"with space %d.jpg", "café + friends@beach (%d).jpg", "100%% sure %d.jpg",
            "日本語/写真 %d.jpg", "emoji \uD83D\uDCF7 %d.jpg", "a/../dots %d.jpg", "./dot %d.jpg", "/double-slash %d.jpg",
            "semi;colon=eq&amp %d.jpg", "tilde~ #hash %d.jpg", "trailing space %d.jpg ", "plus+plus %d.jpg"};
    /** Shared by every copy: generated once. */
    private static final ConcurrentHashMap<String, byte[]> MADE = new ConcurrentHashMap<>();

    private Library() {
    }

    /**
     * The items, in upload order (kinds mixed).
     *
     * @param prefix     the input prefix of the pipeline (e.g. {@code uploads/})
     * @param photoDirs  folders of real photos to copy (missing ones are skipped)
     */
    static List<Item> build(int n, long seed, String prefix, List<Path> photoDirs) {
        Random r = new Random(seed);
        List<Path> real = realFiles(photoDirs);
        int heavy = n < 50 ? 0 : Math.max(2, n / 250); // seconds of decoding each: not in tiny (smoke) libraries
        int bad = Math.max(4, n / 60);
        int awkward = Math.max(AWKWARD.length + 1, n / 12);
        int realCount = real.isEmpty() ? 0 : Math.max(Math.min(real.size(), n / 5), n / 20);
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            kinds.add(i < heavy ? "heavy" : i < heavy + bad ? "bad" : i < heavy + bad + awkward ? "awkward"
                    : i < heavy + bad + awkward + realCount ? "real" : "photo");
        }
        java.util.Collections.shuffle(kinds, r);
        String base = prefix + "chaos-" + seed + "/";
        List<Item> items = new ArrayList<>(n);
        int[] counters = new int[5];
        for (int i = 0; i < n; i++) {
            String kind = kinds.get(i);
            long itemSeed = r.nextLong();
            items.add(switch (kind) {
                case "heavy" -> heavyItem(i, base, counters[0]++);
                case "bad" -> badItem(i, base, counters[1]++, itemSeed);
                case "awkward" -> {
                    int k = counters[2]++;
                    int pattern = k % (AWKWARD.length + 1);
                    String dir = base + "awkward/";
                    String name = pattern == AWKWARD.length ? longName(k, 1015 - utf8Length(dir))
                            : String.format(Locale.ROOT, AWKWARD[pattern], k);
                    yield new Item(i, dir + name, kind, "image/jpeg", photo(itemSeed, r.nextInt(100)));
                }
                case "real" -> {
                    Path file = real.get(counters[3]++ % real.size());
                    String name = file.getFileName().toString();
                    yield new Item(i, base + "real/" + String.format("%05d-", i) + name, kind, contentType(name),
                            () -> read(file));
                }
                default -> new Item(i, base + "photo/" + String.format("%05d", i) + ".jpg", kind, "image/jpeg",
                        photo(itemSeed, r.nextInt(100)));
            });
        }
        return items;
    }

    /**
     * A name that makes the key 1,015 bytes: a valid key, whose renditions' keys ({@code renditions/...<name>/
     * medium.jpg}) pass S3's 1,024 (what does the worker make of that?).
     */
    private static String longName(int k, int length) {
        StringBuilder sb = new StringBuilder("long-" + k);
        while (sb.length() < length - 20) {
            sb.append("/segment-").append(sb.length());
        }
        while (sb.length() < length - 4) {
            sb.append('x');
        }
        return sb.append(".jpg").toString();
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static Supplier<byte[]> photo(long seed, int sizeDraw) {
        int acc = 0;
        int[] size = SIZES[0];
        for (int[] s : SIZES) {
            acc += s[2];
            if (sizeDraw < acc) {
                size = s;
                break;
            }
        }
        int[] chosen = size;
        return () -> Photos.jpeg(chosen[0], chosen[1], new Random(seed));
    }

    private static Item heavyItem(int index, String base, int k) {
        if (k % 2 == 0) {
            return new Item(index, base + "heavy/" + String.format("%05d", index) + "-33000000x1-rgba16.png", "heavy",
                    "image/png", () -> MADE.computeIfAbsent("wide", x -> png(33_000_000, 1, 16, 6)));
        }
        return new Item(index, base + "heavy/" + String.format("%05d", index) + "-10000x10000-rgba.png", "heavy",
                "image/png", () -> MADE.computeIfAbsent("square", x -> png(10_000, 10_000, 8, 6)));
    }

    private static Item badItem(int index, String base, int k, long seed) {
        String dir = base + "bad/" + String.format("%05d", index);
        return switch (k % 4) {
            case 0 -> new Item(index, dir + "-truncated.jpg", "bad", "image/jpeg", () -> {
                byte[] full = Photos.jpeg(800, 600, new Random(seed));
                return java.util.Arrays.copyOf(full, full.length / 2);
            });
            case 1 -> new Item(index, dir + "-empty.jpg", "bad", "image/jpeg", () -> new byte[0]);
            case 2 -> new Item(index, dir + "-not-an-image.jpg", "bad", "image/jpeg",
                    () -> "<!doctype html><title>not a photo</title><p>an HTML page named .jpg</p>"
                            .getBytes(StandardCharsets.UTF_8));
            default -> new Item(index, dir + "-bomb-50000x50000.png", "bad", "image/png",
                    () -> MADE.computeIfAbsent("bomb", x -> png(50_000, 50_000, 1, 0)));
        };
    }

    private static List<Path> realFiles(List<Path> dirs) {
        List<Path> files = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(d)) {
                s.filter(Files::isRegularFile).filter(p -> contentType(p.getFileName().toString()) != null)
                        .sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    static String contentType(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        for (String ext : new String[] {"png", "gif", "webp", "tiff", "bmp", "heic"}) {
            if (n.endsWith("." + ext) || (ext.equals("tiff") && n.endsWith(".tif"))) {
                return "image/" + ext;
            }
        }
        return null;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A valid PNG of zero pixels, streamed through the deflater a row at a time: big in pixels, small in bytes.
     *
     * @param colorType 0 grey, 2 RGB, 6 RGBA
     */
    static byte[] png(int width, int height, int bitDepth, int colorType) {
        int channels = switch (colorType) {
            case 0 -> 1;
            case 2 -> 3;
            case 6 -> 4;
            default -> throw new IllegalArgumentException("color type " + colorType);
        };
        long rowBytes = ((long) width * channels * bitDepth + 7) / 8;
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] zeros = new byte[1 << 20];
        byte[] out = new byte[1 << 16];
        for (int y = 0; y < height; y++) {
            long left = rowBytes + 1; // the filter byte (0, none), then the row
            while (left > 0) {
                int n = (int) Math.min(zeros.length, left);
                deflater.setInput(zeros, 0, n);
                while (!deflater.needsInput()) {
                    idat.write(out, 0, deflater.deflate(out));
                }
                left -= n;
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(out, 0, deflater.deflate(out));
        }
        deflater.end();
        ByteArrayOutputStream png = new ByteArrayOutputStream(idat.size() + 64);
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth)
                .put((byte) colorType).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}

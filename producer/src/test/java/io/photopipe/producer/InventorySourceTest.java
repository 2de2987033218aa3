package io.photopipe.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.photopipe.producer.internal.Progress;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** S3 Inventory CSV manifests, written for real into embedded S3 or a folder. */
class InventorySourceTest {
    static final String SCHEMA = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag";

    @TempDir
    Path dir;

    /** A row as S3 Inventory writes it: every field quoted, the key URL-encoded. */
    static String row(String bucket, String key, String versionId, boolean latest, boolean deleteMarker, long size,
                      String modified, String eTag) {
        return String.join(",", List.of(q(bucket), q(URLEncoder.encode(key, StandardCharsets.UTF_8)), q(versionId),
                q(Boolean.toString(latest)), q(Boolean.toString(deleteMarker)), q(deleteMarker ? "" : Long.toString(size)),
                q(modified), q(eTag)));
    }

    static String q(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    static byte[] gzip(List<String> rows) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write((String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    static String manifest(String source, String dest, List<String> fileKeys, List<byte[]> files) throws Exception {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < fileKeys.size(); i++) {
            entries.add("{\"key\":\"" + fileKeys.get(i) + "\",\"size\":" + files.get(i).length + ",\"MD5checksum\":\""
                    + md5(files.get(i)) + "\"}");
        }
        return "{\"sourceBucket\":\"" + source + "\",\"destinationBucket\":\"arn:aws:s3:::" + dest + "\","
                + "\"version\":\"2016-11-30\",\"creationTimestamp\":\"1714521600000\",\"fileFormat\":\"CSV\","
                + "\"fileSchema\":\"" + SCHEMA + "\",\"files\":[" + String.join(",", entries) + "]}";
    }

    static final String T = "2024-05-01T10:00:00.000Z";

    List<byte[]> dataFiles(String source) throws Exception {
        return List.of(
                gzip(List.of(row(source, "uploads/a b.jpg", "", true, false, 10, T, "e1"),
                        row(source, "uploads/c+d.jpg", "", true, false, 20, T, "e2"),
                        row(source, "uploads/gone.jpg", "v2", true, true, 0, T, ""),
                        row(source, "uploads/old.jpg", "v1", false, false, 5, T, "e3"))),
                gzip(List.of(row(source, "uploads/été/ü.jpg", "", true, false, 30, T, "e4"),
                        row(source, "other/x.jpg", "", true, false, 30, T, "e5"),
                        row(source, "uploads/z.png", "", true, false, 40, T, "e6"))));
    }

    @Test
    void aManifestInS3IsReadWithDecodedKeysAndWithoutDeleteMarkersOrOldVersions() throws Exception {
        Stack stack = Stack.get();
        String inv = stack.bucket("inventory");
        String source = "photopipe-photos";
        List<byte[]> files = dataFiles(source);
        List<String> fileKeys = List.of("photopipe-photos/daily/data/1.csv.gz", "photopipe-photos/daily/data/2.csv.gz");
        for (int i = 0; i < files.size(); i++) {
            int n = i;
            stack.s3().putObject(r -> r.bucket(inv).key(fileKeys.get(n)), RequestBody.fromBytes(files.get(n)));
        }
        String manifestKey = "photopipe-photos/daily/2024-05-01T01-00Z/manifest.json";
        stack.s3().putObject(r -> r.bucket(inv).key(manifestKey),
                RequestBody.fromString(manifest(source, inv, fileKeys, files)));
        InventorySource src = new InventorySource(stack.s3(), "s3://" + inv + "/" + manifestKey, "uploads/");

        List<ObjectRef> refs = all(src.open(null));

        assertThat(refs).extracting(ObjectRef::key)
                .containsExactly("uploads/a b.jpg", "uploads/c+d.jpg", "uploads/été/ü.jpg", "uploads/z.png");
        assertThat(refs).extracting(ObjectRef::size).containsExactly(10L, 20L, 30L, 40L);
        assertThat(refs.getFirst().bucket()).isEqualTo(source);
        assertThat(refs.getFirst().eTag()).isEqualTo("e1");
        assertThat(refs.getFirst().lastModified()).hasToString("2024-05-01T10:00:00Z");
        // resuming after the second object continues with the third, across data files
        assertThat(all(src.open(refs.get(1).cursor()))).extracting(ObjectRef::key)
                .containsExactly("uploads/été/ü.jpg", "uploads/z.png");
        assertThat(KeySource.compareCursors(refs.get(1).cursor(), refs.get(2).cursor())).isNegative();
    }

    @Test
    void aLocalManifestReadsItsDataFilesFromBesideItAndTheBackfillSendsThem() throws Exception {
        Stack stack = Stack.get();
        String source = stack.bucket("invsource");
        List<byte[]> files = dataFiles(source);
        Files.createDirectories(dir.resolve("data"));
        Files.write(dir.resolve("data/1.csv.gz"), files.get(0));
        Files.write(dir.resolve("data/2.csv.gz"), files.get(1));
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, manifest(source, "elsewhere", List.of("inv/data/1.csv.gz", "inv/data/2.csv.gz"),
                files).replace("inv/data/", "data/"));
        String q = stack.sqsServer.createQueue(Stack.unique("inventory"), Map.of());
        Backfill b = new Backfill(new InventorySource(null, manifest.toString(), ""), ObjectFilter.all(List.of()),
                BatchSender.withDefaults(SendBatchPort.of(stack.sqs())),
                new Backfill.Options(q, "us-east-1", false, 2, 0, dir.resolve("cp.json"), null, false, 0),
                Progress.none(), null);

        BackfillSummary s = b.run();

        assertThat(s.sent()).isEqualTo(5);
        assertThat(Stack.keys(stack.drain(q))).containsExactlyInAnyOrder("uploads/a b.jpg", "uploads/c+d.jpg",
                "uploads/été/ü.jpg", "other/x.jpg", "uploads/z.png");
    }

    @Test
    void aCorruptDataFileIsRefusedByItsMd5() throws Exception {
        List<byte[]> files = dataFiles("b");
        Files.write(dir.resolve("1.csv.gz"), files.get(0));
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, manifest("b", "d", List.of("1.csv.gz"), List.of(files.get(1))));
        InventorySource src = new InventorySource(null, manifest.toString(), "");

        assertThatThrownBy(() -> src.open(null).hasNext()).isInstanceOf(ProducerException.class)
                .hasMessageContaining("MD5");
    }

    @Test
    void parquetAndMissingFieldsAreRefusedWithTheReason() throws Exception {
        Path m = dir.resolve("manifest.json");
        Files.writeString(m, "{\"fileFormat\":\"Parquet\",\"fileSchema\":\"x\",\"files\":[]}");
        assertThatThrownBy(() -> new InventorySource(null, m.toString(), "")).hasMessageContaining("only CSV");
        Files.writeString(m, "{\"fileFormat\":\"CSV\",\"fileSchema\":\"Bucket, Size\",\"files\":[{\"key\":\"a\"}]}");
        assertThatThrownBy(() -> new InventorySource(null, m.toString(), "")).hasMessageContaining("Key");
    }

    @Test
    void csvFieldsWithQuotesAndCommasSplitRight() {
        assertThat(InventorySource.csv("\"a\",\"b,c\",\"d\"\"e\",\"\"")).containsExactly("a", "b,c", "d\"e", "");
    }

    static List<ObjectRef> all(Iterator<ObjectRef> it) {
        List<ObjectRef> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}

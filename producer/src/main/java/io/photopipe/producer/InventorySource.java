package io.photopipe.producer;

import com.fasterxml.jackson.databind.JsonNode;
import io.photopipe.producer.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Objects listed by an S3 Inventory report in CSV format: a {@code manifest.json} naming the columns
 * ({@code fileSchema}) and the gzip-compressed CSV data files ({@code files[]}), as S3 writes them
 * (<a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-inventory-location.html">inventory
 * manifest</a>). For libraries of many millions of objects this replaces listing. The manifest is read from S3
 * ({@code s3://bucket/key/manifest.json}) or a local path; data files come from the inventory's destination bucket, or
 * from beside a local manifest. Each data file is downloaded to a temporary file (its MD5 checked against the
 * manifest) before it is read, so a slow, rate-limited backfill never holds an S3 connection open for hours.
 *
 * <p>Keys in inventory CSV are URL-encoded; delete markers and non-current versions are skipped. The cursor is the
 * data file's index and the row's line number.
 */
public final class InventorySource implements KeySource {
    private final S3Client s3;
    private final String location;
    private final String sourceBucket;
    private final String dataBucket;
    private final Path localDir;
    private final List<String> columns;
    private final List<DataFile> files;
    private final String prefix;

    private record DataFile(String key, String md5) {
    }

    /**
     * Reads the manifest.
     *
     * @param s3       for manifests and data files in S3 (may be null for a local manifest with local data files)
     * @param location {@code s3://bucket/path/manifest.json} or a local file path
     * @param prefix   only keys under it ("" for all)
     * @throws ProducerException with {@link ExitCodes#USAGE} if the manifest is missing, not CSV or malformed
     */
    public InventorySource(S3Client s3, String location, String prefix) {
        this.s3 = s3;
        this.location = location;
        this.prefix = prefix == null ? "" : prefix;
        byte[] manifestBytes;
        if (location.startsWith("s3://")) {
            String[] bk = splitS3(location);
            try {
                ResponseBytes<GetObjectResponse> b = s3.getObjectAsBytes(r -> r.bucket(bk[0]).key(bk[1]));
                manifestBytes = b.asByteArray();
            } catch (NoSuchKeyException e) {
                throw ProducerException.usage("inventory manifest " + location + " does not exist");
            }
            localDir = null;
        } else {
            Path p = Path.of(location);
            try {
                manifestBytes = Files.readAllBytes(p);
            } catch (IOException e) {
                throw ProducerException.usage("cannot read inventory manifest " + location + ": " + e);
            }
            localDir = p.toAbsolutePath().getParent();
        }
        JsonNode m;
        try {
            m = Json.MAPPER.readTree(manifestBytes);
        } catch (IOException e) {
            throw ProducerException.usage("inventory manifest " + location + " is not JSON: " + e.getMessage());
        }
        String format = m.path("fileFormat").asText("");
        if (!format.equalsIgnoreCase("CSV")) {
            throw ProducerException.usage("inventory manifest " + location + " has fileFormat '" + format
                    + "': only CSV inventories are supported (configure the inventory with CSV output)");
        }
        columns = new ArrayList<>();
        for (String c : m.path("fileSchema").asText("").split(",")) {
            columns.add(c.trim());
        }
        if (!columns.contains("Bucket") || !columns.contains("Key")) {
            throw ProducerException.usage("inventory manifest " + location + " has fileSchema '"
                    + m.path("fileSchema").asText() + "': it needs at least the Bucket and Key fields");
        }
        sourceBucket = m.path("sourceBucket").asText("");
        String dest = m.path("destinationBucket").asText("");
        dataBucket = dest.startsWith("arn:aws:s3:::") ? dest.substring("arn:aws:s3:::".length()) : dest;
        files = new ArrayList<>();
        for (JsonNode f : m.path("files")) {
            files.add(new DataFile(f.path("key").asText(), f.path("MD5checksum").asText(null)));
        }
        if (files.isEmpty()) {
            throw ProducerException.usage("inventory manifest " + location + " lists no data files (files[] is empty)");
        }
    }

    /** The bucket the inventory describes. */
    public String sourceBucket() {
        return sourceBucket;
    }

    /** How many data files the manifest lists. */
    public int fileCount() {
        return files.size();
    }

    @Override
    public String describe() {
        return "inventory:" + location + (prefix.isEmpty() ? "" : " prefix " + prefix);
    }

    @Override
    public Iterator<ObjectRef> open(String afterCursor) {
        int startFile = 0;
        long startLine = -1;
        if (afterCursor != null) {
            String[] parts = afterCursor.split(":");
            startFile = Integer.parseInt(parts[0]);
            startLine = Long.parseLong(parts[1]);
        }
        int firstFile = startFile;
        long skipThrough = startLine;
        return new Iterator<>() {
            int fileIndex = firstFile;
            long line = -1;
            BufferedReader reader;
            Path temp;
            ObjectRef next;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    if (reader == null) {
                        if (fileIndex >= files.size()) {
                            return false;
                        }
                        openFile();
                    }
                    String row;
                    try {
                        row = reader.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException("reading inventory file " + files.get(fileIndex).key(), e);
                    }
                    if (row == null) {
                        closeFile();
                        fileIndex++;
                        continue;
                    }
                    line++;
                    if (fileIndex == firstFile && line <= skipThrough || row.isBlank()) {
                        continue;
                    }
                    next = parse(row, fileIndex, line); // null for rows that are not current objects
                }
                return true;
            }

            @Override
            public ObjectRef next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ObjectRef r = next;
                next = null;
                return r;
            }

            private void openFile() {
                try {
                    temp = fetch(files.get(fileIndex));
                    reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(temp)),
                            StandardCharsets.UTF_8));
                    line = -1;
                } catch (IOException e) {
                    throw new UncheckedIOException("opening inventory file " + files.get(fileIndex).key(), e);
                }
            }

            private void closeFile() {
                try {
                    reader.close();
                    if (temp != null) {
                        Files.deleteIfExists(temp);
                    }
                } catch (IOException e) {
                    // a temp file left behind is harmless
                }
                reader = null;
                temp = null;
            }
        };
    }

    private ObjectRef parse(String row, int fileIndex, long line) {
        List<String> f = csv(row);
        String bucket = field(f, "Bucket");
        String key = URLDecoder.decode(field(f, "Key"), StandardCharsets.UTF_8);
        String cursor = String.format(Locale.ROOT, "%06d:%012d", fileIndex, line);
        if ("true".equalsIgnoreCase(field(f, "IsDeleteMarker")) || "false".equalsIgnoreCase(field(f, "IsLatest"))
                || !key.startsWith(prefix)) {
            return null; // not a current object, or not under the prefix
        }
        String size = field(f, "Size");
        String modified = field(f, "LastModifiedDate");
        Instant lastModified = null;
        if (modified != null && !modified.isEmpty()) {
            try {
                lastModified = Instant.parse(modified);
            } catch (DateTimeParseException e) {
                lastModified = null;
            }
        }
        String eTag = field(f, "ETag");
        return new ObjectRef(bucket, key, size == null || size.isEmpty() ? 0 : Long.parseLong(size),
                eTag == null || eTag.isEmpty() ? null : eTag, lastModified, cursor);
    }

    private String field(List<String> row, String name) {
        int i = columns.indexOf(name);
        return i < 0 || i >= row.size() ? null : row.get(i);
    }

    /** Splits one CSV row; inventory quotes every field and doubles embedded quotes. */
    static List<String> csv(String row) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < row.length() && row.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private Path fetch(DataFile file) throws IOException {
        Path temp = Files.createTempFile("photopipe-inventory-", ".csv.gz");
        temp.toFile().deleteOnExit(); // a run stopped mid-file leaves nothing behind
        try (InputStream in = openData(file);
             DigestInputStream digest = new DigestInputStream(in, md5())) {
            Files.copy(digest, temp, StandardCopyOption.REPLACE_EXISTING);
            String actual = HexFormat.of().formatHex(digest.getMessageDigest().digest());
            if (file.md5() != null && !file.md5().isEmpty() && !file.md5().equalsIgnoreCase(actual)) {
                Files.deleteIfExists(temp);
                throw new ProducerException(ExitCodes.AWS, "inventory data file " + file.key() + " has MD5 " + actual
                        + " but the manifest says " + file.md5() + ": the inventory is corrupt or still being written");
            }
            return temp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    private InputStream openData(DataFile file) throws IOException {
        if (localDir != null) {
            Path direct = localDir.resolve(file.key());
            Path flat = localDir.resolve(Path.of(file.key()).getFileName());
            if (Files.exists(direct)) {
                return Files.newInputStream(direct);
            }
            if (Files.exists(flat)) {
                return Files.newInputStream(flat);
            }
            if (s3 == null || dataBucket.isEmpty()) {
                throw ProducerException.usage("inventory data file " + file.key() + " is neither at " + direct
                        + " nor at " + flat);
            }
        }
        try {
            return s3.getObject(r -> r.bucket(dataBucket).key(file.key()));
        } catch (NoSuchKeyException e) {
            throw ProducerException.usage("inventory data file s3://" + dataBucket + "/" + file.key()
                    + " does not exist");
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String[] splitS3(String uri) {
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw ProducerException.usage("'" + uri + "' is not an S3 object URI: use s3://bucket/path/manifest.json");
        }
        return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
    }
}

package io.photopipe.local.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A durable spool of notification messages not yet accepted by SQS: one file per message, written to a temporary
 * name, forced to disk and renamed, so a message is either fully there or absent after a crash, and survives a
 * restart of the process. File names carry a sequence number, so {@link #pending} returns messages in the order they
 * were appended. The {@link OutboxSender} removes a message once SQS has accepted it (at least once delivery, as
 * S3's own: "designed to be delivered at least once").
 */
public final class Outbox {
    private static final String SUFFIX = ".msg";

    /** A stored message: the target queue ARN and the body. */
    public record Entry(long sequence, String queueArn, String body, Path file) {
    }

    private final Path dir;
    private final boolean fsync;
    private final AtomicLong nextSequence;

    /**
     * @param dir   the spool directory (created if missing); messages already there are pending
     * @param fsync force each message to disk before {@link #append} returns (true except in throughput tests)
     */
    public Outbox(Path dir, boolean fsync) {
        this.dir = dir;
        this.fsync = fsync;
        try {
            Files.createDirectories(dir);
            long max = 0;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".tmp")) {
                        Files.deleteIfExists(f); // an append that crashed before its rename: never acknowledged
                    } else if (name.endsWith(SUFFIX)) {
                        max = Math.max(max, sequenceOf(f));
                    }
                }
            }
            nextSequence = new AtomicLong(max + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the notification outbox " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return dir;
    }

    /** Stores a message durably; when this returns, the message will be delivered even after a crash. */
    public void append(String queueArn, String body) {
        long seq = nextSequence.getAndIncrement();
        String name = String.format("%020d", seq) + SUFFIX;
        Path tmp = dir.resolve(name + ".tmp");
        byte[] bytes = (queueArn + "\n" + body).getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (fsync) {
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write notification to the outbox " + dir + " (disk full?): "
                    + e.getMessage(), e);
        }
        try {
            try {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit notification in the outbox " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** Up to {@code max} pending messages, oldest first. */
    public List<Entry> pending(int max) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().limit(max).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the notification outbox " + dir + ": " + e.getMessage(), e);
        }
        List<Entry> out = new ArrayList<>(files.size());
        for (Path f : files) {
            try {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                int nl = text.indexOf('\n');
                if (nl <= 0) {
                    throw new IOException("no queue line");
                }
                out.add(new Entry(sequenceOf(f), text.substring(0, nl), text.substring(nl + 1), f));
            } catch (NoSuchFileException e) {
                // removed concurrently: already sent
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable outbox entry " + f + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** How many messages wait to be sent. */
    public int size() {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets a message SQS has accepted. */
    public void remove(Entry entry) {
        try {
            Files.deleteIfExists(entry.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove sent outbox entry " + entry.file() + ": "
                    + e.getMessage(), e);
        }
    }

    private static long sequenceOf(Path f) {
        String name = f.getFileName().toString();
        return Long.parseLong(name.substring(0, name.indexOf('.')));
    }
}

package io.photopipe.loadtest.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the worker's execution environments logged (the data directory's {@code logs/}, one file per environment,
 * appended across restarts): its one JSON line per message outcome ({@code outcome}, {@code reasonCode},
 * {@code key}, {@code time}, {@code durationMs}; the worker's {@code OutcomeLog}) and the emulation's REPORT lines.
 * From them: outcome counts by reason (the breaker's {@code circuit-open} against {@code s3-unavailable}), renders
 * per object (double renders), and outcomes over time.
 */
final class WorkerLogs {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message outcome. */
    record Outcome(Instant time, String key, String outcome, String reasonCode, long durationMs, int receiveCount) {
    }

    /**
     * The same object rendered again after an earlier render of it had finished (its status was READY then, so the
     * later one should have been skipped as up to date), or two renders of it running at once.
     */
    record DoubleRender(String key, int renders, int afterReady, int overlapping) {
    }

    private final List<Outcome> outcomes;
    private final long reports;
    private final long outOfMemory;
    private final long timeouts;
    private final long exits;
    private final long maxMemoryUsedMb;

    private WorkerLogs(List<Outcome> outcomes, long reports, long outOfMemory, long timeouts, long exits,
                       long maxMemoryUsedMb) {
        this.outcomes = outcomes;
        this.reports = reports;
        this.outOfMemory = outOfMemory;
        this.timeouts = timeouts;
        this.exits = exits;
        this.maxMemoryUsedMb = maxMemoryUsedMb;
    }

    /** Reads every {@code photopipe-worker-*.log} under {@code logs}. */
    static WorkerLogs read(Path logs) {
        List<Outcome> outcomes = new ArrayList<>();
        long[] counts = new long[5];
        if (Files.isDirectory(logs)) {
            try (Stream<Path> files = Files.list(logs)) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("photopipe-worker")).toList()) {
                    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                        if (line.startsWith("{") && line.contains("\"outcome\"")) {
                            Outcome o = parse(line);
                            if (o != null) {
                                outcomes.add(o);
                            }
                        } else if (line.startsWith("REPORT RequestId:")) {
                            counts[0]++;
                            counts[1] += line.contains("Error Type: Runtime.OutOfMemory") ? 1 : 0;
                            counts[2] += line.contains("Status: timeout") ? 1 : 0;
                            counts[3] += line.contains("Error Type: Runtime.ExitError") ? 1 : 0;
                            counts[4] = Math.max(counts[4], maxMemoryUsed(line));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the worker logs in " + logs, e);
            }
        }
        outcomes.sort(Comparator.comparing(Outcome::time));
        return new WorkerLogs(List.copyOf(outcomes), counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    private static Outcome parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (!n.hasNonNull("outcome") || !n.hasNonNull("time")) {
                return null;
            }
            return new Outcome(Instant.parse(n.get("time").asText()), n.path("key").asText(null),
                    n.get("outcome").asText(), n.path("reasonCode").asText(""), n.path("durationMs").asLong(),
                    n.path("receiveCount").asInt());
        } catch (IOException | RuntimeException e) {
            return null; // a line the process was killed in the middle of
        }
    }

    private static long maxMemoryUsed(String report) {
        int i = report.indexOf("Max Memory Used: ");
        if (i < 0) {
            return 0;
        }
        String rest = report.substring(i + 17);
        int sp = rest.indexOf(' ');
        try {
            return Long.parseLong(sp < 0 ? rest : rest.substring(0, sp));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    List<Outcome> outcomes() {
        return outcomes;
    }

    /** Message outcomes by {@code outcome/reasonCode}, e.g. {@code retried/circuit-open}, most first. */
    Map<String, Long> byReason() {
        Map<String, Long> counts = new HashMap<>();
        outcomes.forEach(o -> counts.merge(o.outcome() + "/" + o.reasonCode(), 1L, Long::sum));
        Map<String, Long> sorted = new java.util.LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Objects rendered more than once ({@code done/rendered} outcomes), with how the renders related. */
    List<DoubleRender> doubleRenders() {
        Map<String, List<Outcome>> renders = new TreeMap<>();
        for (Outcome o : outcomes) {
            if (o.key() != null && o.outcome().equals("done") && o.reasonCode().equals("rendered")) {
                renders.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
            }
        }
        List<DoubleRender> doubles = new ArrayList<>();
        renders.forEach((key, list) -> {
            if (list.size() < 2) {
                return;
            }
            int after = 0;
            int overlapping = 0;
            Instant firstEnd = list.getFirst().time();
            for (Outcome o : list.subList(1, list.size())) {
                Instant began = o.time().minusMillis(o.durationMs());
                if (began.isAfter(firstEnd)) {
                    after++;
                } else {
                    overlapping++;
                }
            }
            doubles.add(new DoubleRender(key, list.size(), after, overlapping));
        });
        return doubles;
    }

    long reports() {
        return reports;
    }

    long outOfMemory() {
        return outOfMemory;
    }

    long timeouts() {
        return timeouts;
    }

    long exits() {
        return exits;
    }

    long maxMemoryUsedMb() {
        return maxMemoryUsedMb;
    }
}

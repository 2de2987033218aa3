package io.photopipe.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * End-to-end times as the virtual users saw them (from the start of the upload to the photo's final status), kept
 * here as well as in Gatling's report so the scaling report can draw their percentiles over time.
 */
public final class E2eRecorder {
    /**
     * One photo.
     *
     * @param id       the API's image id (empty when the photo did not come through the API)
     * @param group    the Gatling group it was timed in
     * @param startMs  epoch millis at the start of the upload
     * @param endMs    epoch millis when its final status was seen
     * @param outcome  ready, failed, or timeout
     * @param expected what it should have ended as
     */
    public record Entry(String id, String group, long startMs, long endMs, String outcome, String expected) {
        public long millis() {
            return endMs - startMs;
        }

        public boolean asExpected() {
            return outcome.equals(expected);
        }
    }

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    public void record(Entry e) {
        entries.add(e);
    }

    public List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /** The entries of one group. */
    public List<Entry> group(String group) {
        return entries.stream().filter(e -> e.group().equals(group)).toList();
    }
}

package io.photopipe.loadtest.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What happened during a run, in seconds since its start: the faults and phases, and the stack's metrics. */
final class Timeline {
    /** One thing the run did (or saw): a kill, a restart, the outage, a phase. */
    record Event(double t, String kind, String detail) {
    }

    /**
     * The stack's metrics at one moment ({@code GET /metrics} of its control endpoint); -1 when SQS was down.
     */
    record Sample(double t, long queued, long inFlight, long dlq, int busy, int environments, int outbox,
                  long invocations, long errors, long outOfMemory) {
        static Sample of(double t, JsonNode m) {
            return new Sample(t, m.path("queued").asLong(-1), m.path("inFlight").asLong(-1), m.path("dlq").asLong(-1),
                    m.path("busy").asInt(), m.path("environments").asInt(), m.path("notificationsPending").asInt(),
                    m.path("invocations").asLong(), m.path("errors").asLong(), m.path("outOfMemory").asLong());
        }
    }

    private final Instant start;
    private final List<Event> events = new ArrayList<>();
    private final List<Sample> samples = new ArrayList<>();

    Timeline(Instant start) {
        this.start = start;
    }

    Instant start() {
        return start;
    }

    double now() {
        return Duration.between(start, Instant.now()).toMillis() / 1000.0;
    }

    synchronized Event event(String kind, String detail) {
        Event e = new Event(now(), kind, detail);
        events.add(e);
        return e;
    }

    synchronized void sample(Sample s) {
        samples.add(s);
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Seconds since the start of an instant. */
    double at(Instant i) {
        return Duration.between(start, i).toMillis() / 1000.0;
    }
}

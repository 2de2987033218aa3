package io.photopipe.local.servers;

import io.photopipe.local.servers.internal.FaultSpecParser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Faults that {@link EmbeddedS3} injects at the HTTP level, in front of the real S3 server: {@code 503 SlowDown}
 * and {@code 500 InternalError} with proper S3 XML error bodies, added latency, and dropped connections (the socket
 * is closed without a response). Clients see exactly what a struggling S3 would send them, so retry and timeout
 * paths are tested against a real server, never a mock.
 *
 * <p>Two ways to inject, combinable, each optionally restricted by a {@link RequestMatcher}:
 * <ul>
 *   <li>probabilistic: {@link #inject(Fault, double)} fires with a rate in [0, 1], drawn from a seeded
 *       {@link Random} so a sequential run is reproducible;</li>
 *   <li>deterministic: {@link #failNext(int, Fault)} hits the next {@code n} matching requests.</li>
 * </ul>
 * Counters ({@link #count(Kind)}) say how many faults were injected. The same switch exists as a string,
 * {@link #parse(String)}, e.g. {@code "slowdown=0.1,error=0.05,latency=200ms@0.2,drop=0.01"}, which the local
 * runtime accepts from a flag or an environment variable.
 *
 * <p>Thread-safe: the fault proxy asks {@link #decide(String, String)} from many connections at once while a test
 * changes the rules.
 */
public final class S3Faults {

    /** The kinds of fault. */
    public enum Kind {
        /** {@code 503 Slow Down} with S3 error code {@code SlowDown} (S3's throttling answer). */
        SLOW_DOWN,
        /** {@code 500 Internal Server Error} with S3 error code {@code InternalError}. */
        INTERNAL_ERROR,
        /** The request is delayed before it reaches the server, then served normally. */
        LATENCY,
        /** The connection is closed without any response. */
        DROP
    }

    /**
     * One fault: a kind, plus the delay for {@link Kind#LATENCY} (zero for the others).
     *
     * @param kind    what happens to the request
     * @param latency the added delay; positive for LATENCY, zero otherwise
     */
    public record Fault(Kind kind, Duration latency) {
        /** Validates that only LATENCY carries a (positive) delay. */
        public Fault {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(latency, "latency");
            if (kind == Kind.LATENCY && (latency.isNegative() || latency.isZero())) {
                throw new IllegalArgumentException("latency must be positive for a LATENCY fault, was " + latency);
            }
            if (kind != Kind.LATENCY && !latency.isZero()) {
                throw new IllegalArgumentException("only a LATENCY fault has a latency; " + kind + " had " + latency);
            }
        }

        /** {@code 503 SlowDown}. */
        public static Fault slowDown() {
            return new Fault(Kind.SLOW_DOWN, Duration.ZERO);
        }

        /** {@code 500 InternalError}. */
        public static Fault internalError() {
            return new Fault(Kind.INTERNAL_ERROR, Duration.ZERO);
        }

        /** Close the connection without a response. */
        public static Fault drop() {
            return new Fault(Kind.DROP, Duration.ZERO);
        }

        /** Delay the request by {@code delay}, then serve it. */
        public static Fault latency(Duration delay) {
            return new Fault(Kind.LATENCY, delay);
        }

        /** True for the kinds that replace the response (everything but latency). */
        public boolean terminal() {
            return kind != Kind.LATENCY;
        }
    }

    /**
     * Which requests a fault applies to. {@code null} components match anything. The path is the decoded request
     * path of a path-style request ({@code /bucket/key}); the key is what follows {@code /bucket/} (empty for
     * bucket-level requests). Regular expressions must match the whole key or path.
     *
     * @param method HTTP method (case-insensitive), or null for any
     * @param path   regex over the whole decoded path, or null for any
     * @param key    regex over the whole object key, or null for any
     */
    public record RequestMatcher(String method, Pattern path, Pattern key) {
        /** Matches every request. */
        public static final RequestMatcher ANY = new RequestMatcher(null, null, null);

        /** Only requests with this HTTP method, e.g. {@code GET}. */
        public static RequestMatcher method(String method) {
            return ANY.andMethod(method);
        }

        /** Only requests whose object key matches {@code regex}, e.g. {@code uploads/bad/.*}. */
        public static RequestMatcher key(String regex) {
            return ANY.andKey(regex);
        }

        /** Only requests whose decoded path matches {@code regex}, e.g. {@code /photos/.*\.jpg}. */
        public static RequestMatcher path(String regex) {
            return ANY.andPath(regex);
        }

        /** This matcher, further restricted to the HTTP method. */
        public RequestMatcher andMethod(String m) {
            return new RequestMatcher(Objects.requireNonNull(m, "method").toUpperCase(java.util.Locale.ROOT), path, key);
        }

        /** This matcher, further restricted to keys matching {@code regex}. */
        public RequestMatcher andKey(String regex) {
            return new RequestMatcher(method, path, Pattern.compile(Objects.requireNonNull(regex, "key regex")));
        }

        /** This matcher, further restricted to paths matching {@code regex}. */
        public RequestMatcher andPath(String regex) {
            return new RequestMatcher(method, Pattern.compile(Objects.requireNonNull(regex, "path regex")), key);
        }

        /**
         * Whether a request matches.
         *
         * @param requestMethod the HTTP method
         * @param decodedPath   the percent-decoded path, without query string
         */
        public boolean matches(String requestMethod, String decodedPath) {
            if (method != null && !method.equalsIgnoreCase(requestMethod)) {
                return false;
            }
            if (path != null && !path.matcher(decodedPath).matches()) {
                return false;
            }
            return key == null || key.matcher(keyOf(decodedPath)).matches();
        }

        private static String keyOf(String decodedPath) {
            String p = decodedPath.startsWith("/") ? decodedPath.substring(1) : decodedPath;
            int slash = p.indexOf('/');
            return slash < 0 ? "" : p.substring(slash + 1);
        }

        @Override
        public String toString() {
            if (this.equals(ANY)) {
                return "any request";
            }
            List<String> parts = new ArrayList<>();
            if (method != null) {
                parts.add("method=" + method);
            }
            if (path != null) {
                parts.add("path=" + path);
            }
            if (key != null) {
                parts.add("key=" + key);
            }
            return String.join(" ", parts);
        }

        // Pattern has identity equality; compare the regex text so equal matchers are equal.
        @Override
        public boolean equals(Object o) {
            return o instanceof RequestMatcher r && Objects.equals(method, r.method)
                    && Objects.equals(text(path), text(r.path)) && Objects.equals(text(key), text(r.key));
        }

        @Override
        public int hashCode() {
            return Objects.hash(method, text(path), text(key));
        }

        private static String text(Pattern p) {
            return p == null ? null : p.pattern();
        }
    }

    /**
     * What the fault proxy does to one request: wait {@code delay}, then either forward it ({@code fault} null) or
     * answer with / act out {@code fault}.
     *
     * @param delay added latency before anything else, zero for none
     * @param fault the terminal fault, or null to forward the request to the server
     */
    public record Injection(Duration delay, Kind fault) {
        /** Forward unchanged, no delay. */
        public static final Injection NONE = new Injection(Duration.ZERO, null);
    }

    private record Rule(Fault fault, double rate, RequestMatcher when) {
    }

    private static final class Pending {
        final Fault fault;
        final RequestMatcher when;
        int remaining;

        Pending(Fault fault, RequestMatcher when, int remaining) {
            this.fault = fault;
            this.when = when;
            this.remaining = remaining;
        }
    }

    /** Seed used when none is given, so two runs of the same test see the same faults. */
    public static final long DEFAULT_SEED = 42L;

    private final List<Rule> rules = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final AtomicLongArray counts = new AtomicLongArray(Kind.values().length);
    private long seed;
    private Random random;

    /** No faults; seed {@link #DEFAULT_SEED}. */
    public S3Faults() {
        this(DEFAULT_SEED);
    }

    /** No faults, with the given seed for probabilistic faults. */
    public S3Faults(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    /**
     * Parses a fault spec: comma-separated {@code name=value} parts.
     * <ul>
     *   <li>{@code slowdown=RATE}, {@code error=RATE}, {@code drop=RATE}: probabilistic 503 SlowDown, 500
     *       InternalError, dropped connection; RATE in [0, 1];</li>
     *   <li>{@code latency=DURATION[@RATE]}: added delay ({@code 200ms}, {@code 2s}), with RATE 1 if omitted;</li>
     *   <li>{@code seed=LONG}: the random seed;</li>
     *   <li>{@code method=GET}, {@code key=REGEX}, {@code path=REGEX}: restrict every fault of the spec to matching
     *       requests (the regex cannot contain a comma).</li>
     * </ul>
     * An empty spec or {@code none} means no faults.
     *
     * @throws IllegalArgumentException naming the bad part and what is allowed
     */
    public static S3Faults parse(String spec) {
        return new S3Faults().apply(spec);
    }

    /** Environment variable the local runtime reads the fault switch from. */
    public static final String ENV = "PHOTOPIPE_S3_FAULTS";

    /**
     * The fault switch from {@value #ENV} (absent or blank = no faults).
     *
     * @throws IllegalArgumentException starting with the variable name, then the bad part
     */
    public static S3Faults fromEnv(Function<String, String> env) {
        String spec = env.apply(ENV);
        try {
            return parse(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV + ": " + e.getMessage(), e);
        }
    }

    /** Adds the faults of a spec (see {@link #parse(String)}) to this instance, and its seed if it has one. */
    public S3Faults apply(String spec) {
        FaultSpecParser.Parsed parsed = FaultSpecParser.parse(spec);
        synchronized (this) {
            if (parsed.seed() != null) {
                seed(parsed.seed());
            }
            for (FaultSpecParser.RateRule r : parsed.rules()) {
                rules.add(new Rule(r.fault(), r.rate(), parsed.when()));
            }
        }
        return this;
    }

    /** Resets the random sequence to {@code newSeed}. */
    public synchronized S3Faults seed(long newSeed) {
        this.seed = newSeed;
        this.random = new Random(newSeed);
        return this;
    }

    /** Injects {@code fault} into every request with probability {@code rate}. */
    public S3Faults inject(Fault fault, double rate) {
        return inject(fault, rate, RequestMatcher.ANY);
    }

    /** Injects {@code fault} into requests matching {@code when} with probability {@code rate}. */
    public synchronized S3Faults inject(Fault fault, double rate, RequestMatcher when) {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(when, "when");
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("rate must be between 0 and 1, was " + rate);
        }
        rules.add(new Rule(fault, rate, when));
        return this;
    }

    /** Injects {@code fault} into the next {@code n} requests. */
    public S3Faults failNext(int n, Fault fault) {
        return failNext(n, fault, RequestMatcher.ANY);
    }

    /** Injects {@code fault} into the next {@code n} requests matching {@code when}. */
    public synchronized S3Faults failNext(int n, Fault fault, RequestMatcher when) {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(when, "when");
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        pending.add(new Pending(fault, when, n));
        return this;
    }

    /** Removes every rule and pending fault and resets the counters and the random sequence. */
    public synchronized void clear() {
        rules.clear();
        pending.clear();
        for (int i = 0; i < counts.length(); i++) {
            counts.set(i, 0);
        }
        random = new Random(seed);
    }

    /** True when no rule or pending fault is configured. */
    public synchronized boolean isEmpty() {
        return rules.isEmpty() && pending.isEmpty();
    }

    /** How many faults of this kind were injected since creation or the last {@link #clear()}. */
    public long count(Kind kind) {
        return counts.get(kind.ordinal());
    }

    /** All counters. */
    public Map<Kind, Long> counts() {
        Map<Kind, Long> m = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            m.put(k, count(k));
        }
        return m;
    }

    /** Total number of injected faults of every kind. */
    public long total() {
        long t = 0;
        for (int i = 0; i < counts.length(); i++) {
            t += counts.get(i);
        }
        return t;
    }

    /**
     * Decides what happens to one request, and counts what it injects. The first pending {@link #failNext} entry
     * that matches is used up first; then every matching probabilistic rule draws once from the seeded random
     * (latencies add up, the first terminal fault wins). Called by the fault proxy; callable from tests.
     *
     * @param method      the HTTP method
     * @param decodedPath the percent-decoded request path without query
     */
    public synchronized Injection decide(String method, String decodedPath) {
        if (rules.isEmpty() && pending.isEmpty()) {
            return Injection.NONE;
        }
        Duration delay = Duration.ZERO;
        Kind terminal = null;
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.when.matches(method, decodedPath)) {
                if (--p.remaining == 0) {
                    it.remove();
                }
                if (p.fault.terminal()) {
                    terminal = p.fault.kind();
                } else {
                    delay = delay.plus(p.fault.latency());
                    counts.incrementAndGet(Kind.LATENCY.ordinal());
                }
                break;
            }
        }
        for (Rule r : rules) {
            if (!r.when().matches(method, decodedPath)) {
                continue;
            }
            boolean fire = random.nextDouble() < r.rate();
            if (!fire) {
                continue;
            }
            if (r.fault().terminal()) {
                if (terminal == null) {
                    terminal = r.fault().kind();
                }
            } else {
                delay = delay.plus(r.fault().latency());
                counts.incrementAndGet(Kind.LATENCY.ordinal());
            }
        }
        if (terminal != null) {
            counts.incrementAndGet(terminal.ordinal());
        }
        return delay.isZero() && terminal == null ? Injection.NONE : new Injection(delay, terminal);
    }

    @Override
    public synchronized String toString() {
        List<String> parts = new ArrayList<>();
        for (Rule r : rules) {
            parts.add(r.fault().kind() + (r.fault().terminal() ? "" : " " + r.fault().latency().toMillis() + "ms")
                    + " @" + r.rate() + " on " + r.when());
        }
        for (Pending p : pending) {
            parts.add("next " + p.remaining + " " + p.fault.kind() + " on " + p.when);
        }
        return "S3Faults[seed=" + seed + (parts.isEmpty() ? ", none" : ", " + String.join("; ", parts)) + "]";
    }
}

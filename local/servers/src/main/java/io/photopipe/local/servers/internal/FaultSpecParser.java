package io.photopipe.local.servers.internal;

import io.photopipe.local.servers.S3Faults.Fault;
import io.photopipe.local.servers.S3Faults.RequestMatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses the fault switch {@code "slowdown=0.1,error=0.05,latency=200ms@0.2,drop=0.01"} (see
 * {@link io.photopipe.local.servers.S3Faults#parse(String)}). Every error names the bad part and what is allowed,
 * because users type this into an environment variable and should not have to read code to fix it.
 */
public final class FaultSpecParser {

    /** One probabilistic rule of a spec. */
    public record RateRule(Fault fault, double rate) {
    }

    /** A parsed spec: its rules, the matcher they all share, and its seed (null when absent). */
    public record Parsed(List<RateRule> rules, RequestMatcher when, Long seed) {
    }

    static final String KNOWN = "slowdown=RATE, error=RATE, drop=RATE, latency=DURATION[@RATE], seed=LONG, "
            + "method=HTTP_METHOD, key=REGEX, path=REGEX";
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s)");

    private FaultSpecParser() {
    }

    /** Parses {@code spec}; null, blank and {@code none} mean no faults. */
    public static Parsed parse(String spec) {
        List<RateRule> rules = new ArrayList<>();
        RequestMatcher when = RequestMatcher.ANY;
        Long seed = null;
        if (spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("none")) {
            return new Parsed(rules, when, null);
        }
        for (String rawPart : spec.split(",")) {
            String part = rawPart.strip();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw bad(spec, part, "expected name=value");
            }
            String name = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).strip();
            switch (name) {
                case "slowdown" -> rules.add(new RateRule(Fault.slowDown(), rate(spec, part, value)));
                case "error" -> rules.add(new RateRule(Fault.internalError(), rate(spec, part, value)));
                case "drop" -> rules.add(new RateRule(Fault.drop(), rate(spec, part, value)));
                case "latency" -> {
                    int at = value.indexOf('@');
                    Duration d = duration(spec, part, at < 0 ? value : value.substring(0, at));
                    double r = at < 0 ? 1.0 : rate(spec, part, value.substring(at + 1));
                    rules.add(new RateRule(Fault.latency(d), r));
                }
                case "seed" -> {
                    try {
                        seed = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw bad(spec, part, "seed must be a whole number");
                    }
                }
                case "method" -> {
                    if (!value.matches("[A-Za-z]+")) {
                        throw bad(spec, part, "method must be an HTTP method such as GET or PUT");
                    }
                    when = when.andMethod(value);
                }
                case "key", "path" -> {
                    try {
                        when = name.equals("key") ? when.andKey(value) : when.andPath(value);
                    } catch (PatternSyntaxException e) {
                        throw bad(spec, part, "not a valid regular expression: " + e.getDescription());
                    }
                }
                default -> throw bad(spec, part, "unknown name '" + name + "'");
            }
        }
        return new Parsed(List.copyOf(rules), when, seed);
    }

    private static double rate(String spec, String part, String value) {
        double r;
        try {
            r = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw bad(spec, part, "rate must be a number between 0 and 1");
        }
        if (!(r >= 0.0 && r <= 1.0)) {
            throw bad(spec, part, "rate must be between 0 and 1");
        }
        return r;
    }

    private static Duration duration(String spec, String part, String value) {
        Matcher m = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw bad(spec, part, "latency must be a duration such as 200ms or 2s");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = m.group(2).equals("ms") ? Duration.ofMillis(n) : Duration.ofSeconds(n);
        if (d.isZero()) {
            throw bad(spec, part, "latency must be positive");
        }
        return d;
    }

    private static IllegalArgumentException bad(String spec, String part, String why) {
        return new IllegalArgumentException("Bad S3 fault spec part '" + part + "' in '" + spec + "': " + why
                + " (allowed: " + KNOWN + ")");
    }
}

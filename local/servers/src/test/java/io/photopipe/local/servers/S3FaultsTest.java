package io.photopipe.local.servers;

import io.photopipe.local.servers.S3Faults.Fault;
import io.photopipe.local.servers.S3Faults.Injection;
import io.photopipe.local.servers.S3Faults.Kind;
import io.photopipe.local.servers.S3Faults.RequestMatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault switch's decisions and its spec language, without a server. */
class S3FaultsTest {

    @Test
    void sameSeedSameFaults() {
        List<Injection> a = decisions(S3Faults.parse("slowdown=0.2,drop=0.1,latency=50ms@0.3,seed=7"), 500);
        List<Injection> b = decisions(S3Faults.parse("slowdown=0.2,drop=0.1,latency=50ms@0.3,seed=7"), 500);
        List<Injection> c = decisions(S3Faults.parse("slowdown=0.2,drop=0.1,latency=50ms@0.3,seed=8"), 500);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void rateIsRoughlyHonoured() {
        S3Faults f = new S3Faults().inject(Fault.slowDown(), 0.1);
        decisions(f, 10_000);
        assertThat(f.count(Kind.SLOW_DOWN)).isBetween(850L, 1150L);
        assertThat(f.counts()).containsEntry(Kind.DROP, 0L);
    }

    @Test
    void failNextHitsExactlyNMatchingRequestsThenStops() {
        S3Faults f = new S3Faults().failNext(2, Fault.internalError(), RequestMatcher.method("GET"));
        assertThat(f.decide("PUT", "/b/k")).isEqualTo(Injection.NONE);
        assertThat(f.decide("GET", "/b/k").fault()).isEqualTo(Kind.INTERNAL_ERROR);
        assertThat(f.decide("GET", "/b/k").fault()).isEqualTo(Kind.INTERNAL_ERROR);
        assertThat(f.decide("GET", "/b/k")).isEqualTo(Injection.NONE);
        assertThat(f.isEmpty()).isTrue();
        assertThat(f.count(Kind.INTERNAL_ERROR)).isEqualTo(2);
    }

    @Test
    void latencyAddsUpAndAFirstTerminalFaultWins() {
        S3Faults f = new S3Faults()
                .inject(Fault.latency(Duration.ofMillis(100)), 1.0)
                .inject(Fault.latency(Duration.ofMillis(20)), 1.0)
                .inject(Fault.drop(), 1.0)
                .inject(Fault.slowDown(), 1.0);
        assertThat(f.decide("GET", "/b/k")).isEqualTo(new Injection(Duration.ofMillis(120), Kind.DROP));
        assertThat(f.counts()).isEqualTo(Map.of(Kind.LATENCY, 2L, Kind.DROP, 1L, Kind.SLOW_DOWN, 0L,
                Kind.INTERNAL_ERROR, 0L));
    }

    @Test
    void matcherKeyIsWhatFollowsTheBucket() {
        RequestMatcher m = RequestMatcher.key("uploads/bad/.*").andMethod("get");
        assertThat(m.matches("GET", "/photos/uploads/bad/x y.jpg")).isTrue();
        assertThat(m.matches("GET", "/photos/uploads/good/x.jpg")).isFalse();
        assertThat(m.matches("PUT", "/photos/uploads/bad/x.jpg")).isFalse();
        assertThat(m.matches("GET", "/photos")).isFalse();
        assertThat(RequestMatcher.path("/photos/.*").matches("DELETE", "/photos/a")).isTrue();
        assertThat(RequestMatcher.key("a").equals(RequestMatcher.key("a"))).isTrue();
    }

    @Test
    void fullSpecParses() {
        S3Faults f = S3Faults.parse(" slowdown=0.1, error=0.05 ,latency=200ms@0.2,drop=0.01,latency=2s,method=GET");
        String s = f.toString();
        assertThat(s).contains("SLOW_DOWN @0.1", "INTERNAL_ERROR @0.05", "LATENCY 200ms @0.2", "DROP @0.01",
                "LATENCY 2000ms @1.0", "method=GET");
        assertThat(f.decide("PUT", "/b/k")).isEqualTo(Injection.NONE);
        assertThat(f.decide("GET", "/b/k").delay()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void emptySpecsMeanNoFaults() {
        assertThat(S3Faults.parse("").isEmpty()).isTrue();
        assertThat(S3Faults.parse(null).isEmpty()).isTrue();
        assertThat(S3Faults.parse("none").isEmpty()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "slowdwn=0.1         | slowdwn=0.1     | unknown name 'slowdwn'",
            "slowdown=1.5        | slowdown=1.5    | rate must be between 0 and 1",
            "error=lots          | error=lots      | rate must be a number",
            "latency=200         | latency=200     | latency must be a duration such as 200ms or 2s",
            "latency=0ms         | latency=0ms     | latency must be positive",
            "latency=200ms@2     | latency=200ms@2   | rate must be between 0 and 1",
            "drop                | drop            | expected name=value",
            "seed=x              | seed=x          | seed must be a whole number",
            "key=uploads/(bad    | key=uploads/(bad   | not a valid regular expression",
            "method=G E T        | method=G E T    | method must be an HTTP method",
    })
    void badSpecsNameTheBadPart(String spec, String part, String why) {
        assertThatThrownBy(() -> S3Faults.parse("error=0.1," + spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Bad S3 fault spec part '" + part + "'")
                .hasMessageContaining(why)
                .hasMessageContaining("allowed: slowdown=RATE");
    }

    @Test
    void fromEnvNamesTheVariable() {
        assertThat(S3Faults.fromEnv(Map.of(S3Faults.ENV, "drop=1")::get).decide("GET", "/b/k").fault())
                .isEqualTo(Kind.DROP);
        assertThat(S3Faults.fromEnv(Map.<String, String>of()::get).isEmpty()).isTrue();
        assertThatThrownBy(() -> S3Faults.fromEnv(Map.of(S3Faults.ENV, "drop=2")::get))
                .hasMessageStartingWith(S3Faults.ENV + ": Bad S3 fault spec part 'drop=2'");
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThatThrownBy(() -> new S3Faults().inject(Fault.drop(), -0.1)).hasMessageContaining("rate");
        assertThatThrownBy(() -> new S3Faults().failNext(0, Fault.drop())).hasMessageContaining("n must be");
        assertThatThrownBy(() -> Fault.latency(Duration.ZERO)).hasMessageContaining("positive");
    }

    private static List<Injection> decisions(S3Faults f, int n) {
        List<Injection> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(f.decide(i % 2 == 0 ? "GET" : "PUT", "/b/k" + i));
        }
        return out;
    }
}

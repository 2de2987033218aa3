package io.photopipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * No input key the worker accepts maps to a write outside the output prefix, whatever the key holds: properties over
 * keys made of ordinary, hostile ({@code ..}, {@code .}, empty, backslashes, control characters, unpaired
 * surrogates) and over-long segments. The oracle for "a key that goes somewhere else" is {@link Path#normalize()}:
 * what a file-system S3 backend (S3Proxy's, locally) or a path-normalising client does with the key.
 */
class OutputLayoutPropertiesTest {
    private static final OutputLayout LAYOUT = new OutputLayout("b", "uploads/", "b", "renditions/");
    private static final List<Rendition> RENDITIONS = List.of(
            new Rendition("thumb", 128, 128, Fit.COVER, ImageFormat.JPEG, 0.8, List.of()),
            new Rendition("a".repeat(Rendition.MAX_NAME_CHARS), 64, 64, Fit.FIT, ImageFormat.WEBP, 0.8, List.of()));

    @Provide
    Arbitrary<String> segments() {
        return Arbitraries.oneOf(
                Arbitraries.of("", ".", "..", "...", ". ", " ..", "a\\b", "\\", "\u0000", "x\u0007", "\u007f", "\u0085",
                        "é", "😀", "%2e%2e", " ", "\ud800", "x\udc00y", "_status.json", "_attempt.json", "thumb.jpg"),
                Arbitraries.strings().withCharRange('a', 'z').withChars('.', '-', ' ', '\\', '\u0001', 'é', '\u00a0')
                        .ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(6));
    }

    @Provide
    Arbitrary<String> keys() {
        return segments().list().ofMinSize(1).ofMaxSize(6).map(l -> "uploads/" + String.join("/", l));
    }

    @Property(tries = 3000)
    void everyOutputKeyOfAnAcceptedKeyStaysUnderTheOutputPrefixAndCannotBeRedirected(@ForAll("keys") String key) {
        boolean accepted = LAYOUT.refusal(key).isEmpty();
        Statistics.collect(accepted ? "accepted" : "refused");
        // not vacuous: a good share of the generated keys is accepted, and a good share refused
        Statistics.coverage(c -> {
            c.check("accepted").percentage(p -> p >= 15);
            c.check("refused").percentage(p -> p >= 15);
        });
        if (!accepted) {
            return;
        }
        for (String out : outputs(key)) {
            assertThat(out).startsWith(LAYOUT.outputPrefix());
            assertThat(Path.of("/" + out).normalize().toString()).as("normalised %s", out).isEqualTo("/" + out);
            assertThat(out.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(OutputLayout.MAX_KEY_BYTES);
            assertThat(LAYOUT.isInput("b", out)).isFalse();
            assertThat(LAYOUT.isRenditionOf(key, out)).isTrue();
        }
    }

    @Property(tries = 3000)
    void aKeyIsRefusedExactlyWhenOneOfItsSegmentsIsUnsafe(@ForAll("keys") String key) {
        String relative = key.substring(LAYOUT.inputPrefix().length());
        boolean unsafe = false;
        for (String s : relative.split("/", -1)) {
            unsafe |= s.isEmpty() || s.equals(".") || s.equals("..") || s.contains("\\")
                    || s.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f))
                    // an unpaired surrogate does not survive a round trip through UTF-8
                    || !new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
        }
        assertThat(LAYOUT.refusal(key).isPresent()).as(key).isEqualTo(unsafe);
    }

    @Property(tries = 1000)
    void distinctAcceptedKeysNeverShareAnOutputKey(@ForAll("keys") String a, @ForAll("keys") String b) {
        Assume.that(!a.equals(b));
        if (LAYOUT.refusal(a).isPresent() || LAYOUT.refusal(b).isPresent()) {
            return;
        }
        Set<String> outputsOfA = new HashSet<>(outputs(a));
        assertThat(outputs(b)).doesNotContainAnyElementsOf(outputsOfA);
    }

    @Property(tries = 500)
    void anUnsafeSegmentAnywhereInASafeKeyIsRefusedAndNamed(
            @ForAll("safeSegments") List<String> safe, @ForAll("unsafeSegments") String bad,
            @ForAll @IntRange(min = 0, max = 5) int at) {
        List<String> segs = new ArrayList<>(safe);
        int pos = Math.min(at, segs.size());
        segs.add(pos, bad);
        String key = "uploads/" + String.join("/", segs);
        assertThat(LAYOUT.refusal(key)).as(key).hasValueSatisfying(r -> assertThat(r).contains("segment " + (pos + 1)));
    }

    @Provide
    Arbitrary<List<String>> safeSegments() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('.', '-', ' ', 'é').ofMinLength(1).ofMaxLength(8)
                .filter(s -> !s.equals(".") && !s.equals("..")).list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> unsafeSegments() {
        return Arbitraries.of(".", "..", "a\\b", "x\u0000", "\u001f", "\u007f", "c1\u0090", "\ud800z");
    }

    @Property(tries = 200)
    void keysNearS3sLimitAreRefusedExactlyWhenAnOutputKeyWouldNotFit(@ForAll @IntRange(min = 1, max = 1100) int n,
                                                                     @ForAll("wide") String ch) {
        String key = "uploads/" + ch.repeat(n);
        int longestOutput = outputs(key).stream().mapToInt(k -> k.getBytes(StandardCharsets.UTF_8).length).max()
                .orElseThrow();
        assertThat(LAYOUT.refusal(key).isPresent()).as("%d x %s", n, ch).isEqualTo(longestOutput > 1024);
    }

    @Provide
    Arbitrary<String> wide() {
        return Arbitraries.of("a", "é", "€", "😀"); // 1 to 4 bytes of UTF-8
    }

    private static List<String> outputs(String key) {
        List<String> out = new ArrayList<>();
        RENDITIONS.forEach(r -> out.add(LAYOUT.renditionKey(key, r)));
        out.add(LAYOUT.statusKey(key));
        out.add(LAYOUT.attemptKey(key));
        return out;
    }
}

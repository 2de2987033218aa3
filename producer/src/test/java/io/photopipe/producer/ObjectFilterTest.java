package io.photopipe.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectFilterTest {
    static ObjectRef o(String key, long size, String modified) {
        return new ObjectRef("b", key, size, "e", modified == null ? null : Instant.parse(modified), key);
    }

    @Test
    void modifiedSinceIsInclusiveAndBeforeIsExclusive() {
        ObjectFilter f = new ObjectFilter(List.of(), Set.of(), 0, Long.MAX_VALUE, Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2024-02-01T00:00:00Z"), List.of());
        assertThat(f.test(o("a.jpg", 1, "2024-01-01T00:00:00Z"))).isTrue();
        assertThat(f.test(o("a.jpg", 1, "2023-12-31T23:59:59Z"))).isFalse();
        assertThat(f.test(o("a.jpg", 1, "2024-02-01T00:00:00Z"))).isFalse();
        assertThat(f.test(o("a.jpg", 1, null))).isFalse();
    }

    @Test
    void suffixesAreCaseInsensitiveAndSizesInclusive() {
        ObjectFilter f = new ObjectFilter(List.of(".jpg", ".png"), Set.of(), 10, 20, null, null, List.of());
        assertThat(f.test(o("A.JPG", 10, null))).isTrue();
        assertThat(f.test(o("a.png", 20, null))).isTrue();
        assertThat(f.test(o("a.png", 21, null))).isFalse();
        assertThat(f.test(o("a.gif", 15, null))).isFalse();
    }

    @Test
    void badBoundsNameTheFlag() {
        assertThatThrownBy(() -> new ObjectFilter(List.of(), Set.of(), 10, 5, null, null, List.of()))
                .hasMessageContaining("--max-size");
        assertThatThrownBy(() -> new ObjectFilter(List.of(), Set.of("text/plain"), 0, 5, null, null, List.of()))
                .hasMessageContaining("--content-type text/plain");
        Instant t = Instant.now();
        assertThatThrownBy(() -> new ObjectFilter(List.of(), Set.of(), 0, 5, t, t, List.of()))
                .hasMessageContaining("--modified-since");
    }
}

package io.photopipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageIdTest {

    @Test
    void idsAre26LowerCaseCrockfordCharactersAndUnique() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ImageId.random(Instant.now(), random).value();
            assertThat(id).matches("[0-7][0-9a-hjkmnp-tv-z]{25}");
            assertThat(seen.add(id)).as("duplicate %s", id).isTrue();
        }
    }

    @Test
    void idsSortByTimeAndCarryAllRandomBits() {
        Random zeros = new Random() {
            @Override
            public long nextLong() {
                return 0;
            }
        };
        Random ones = new Random() {
            @Override
            public long nextLong() {
                return -1;
            }
        };
        Instant t = Instant.parse("2026-11-26T12:00:00Z");
        String low = ImageId.random(t, zeros).value();
        String high = ImageId.random(t, ones).value();
        assertThat(low.substring(0, 10)).isEqualTo(high.substring(0, 10)).as("48 time bits = first 10 characters");
        assertThat(low.substring(10)).isEqualTo("0000000000000000");
        assertThat(high.substring(10)).isEqualTo("zzzzzzzzzzzzzzzz");
        assertThat(ImageId.random(t.plusMillis(1), zeros).value()).isGreaterThan(low);
    }

    @Test
    void anIdTellsWhenItWasMadeAndTheEarliestIdOfAMillisecondSortsFirst() {
        Instant t = Instant.parse("2026-11-26T12:00:00.123Z");
        ImageId id = ImageId.random(t, new SecureRandom());
        assertThat(id.createdAt()).isEqualTo(t);
        assertThat(ImageId.earliestAt(t).createdAt()).isEqualTo(t);
        assertThat(ImageId.earliestAt(t).value()).isLessThanOrEqualTo(id.value())
                .isGreaterThan(ImageId.random(t.minusMillis(1), () -> -1L).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../../etc/passwd", "01JDQ3ZK7M8X9V2T4R6P0N1B5C", "81jdq3zk7m8x9v2t4r6p0n1b5c",
            "01jdq3zk7m8x9v2t4r6p0n1b5", "01jdq3zk7m8x9v2t4r6p0n1b5cc", "01jdq3zk7m8x9v2t4r6p0n1b5u",
            " 01jdq3zk7m8x9v2t4r6p0n1b5c", "01jdq3zk7m8x9v2t4r6p0n1b5\u0441"})
    void parseRejectsAnythingButAnId(String text) {
        assertThat(ImageId.parse(text)).isEmpty();
    }

    @Test
    void parseAcceptsWhatRandomMakes() {
        ImageId id = ImageId.random(Instant.now(), new SecureRandom());
        assertThat(ImageId.parse(id.value())).contains(id);
    }
}

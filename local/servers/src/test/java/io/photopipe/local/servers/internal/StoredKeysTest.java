package io.photopipe.local.servers.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StoredKeysTest {

    static final List<String> AWKWARD = List.of("uploads/../renditions/x", "renditions/x", "./x", "x", "a/./b", "a/b",
            "a//b", "a/b/", "a/", "a", "/", "//", "", ".", "..", "x/..", "x/.", "a%2Fb", "a%", "%", "%2F", "a/%",
            ".mpus-1-x", ".s3proxy-slash", "uploads/café + friends@beach (1).jpg", "tab\there", "nul\u0000byte",
            "emoji/\uD83D\uDCF7.jpg", "back\\slash", "L".repeat(1024), "d/" + "é".repeat(300) + "/f",
            "trailing space /x ", "a%+/b", "q?x=1&y=#frag");

    @Test
    void everyKeyRoundTripsAndNoTwoKeysShareAName() {
        Map<String, String> byName = new HashMap<>();
        for (String key : AWKWARD) {
            String name = StoredKeys.encode(key);
            assertThat(StoredKeys.decode(name)).as("decode(encode(%s))", key).isEqualTo(key);
            assertThat(byName.put(name, key)).as("name %s of %s already taken", name, key).isNull();
        }
    }

    @Test
    void storedNamesAreSafeFileNames() {
        for (String key : AWKWARD) {
            String name = StoredKeys.encode(key);
            assertThat(name).as(key).doesNotEndWith("/").doesNotStartWith("/");
            for (String part : name.split("/", -1)) {
                assertThat(part).as("part of %s", key).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..")
                        .doesNotStartWith(".");
                assertThat(part.getBytes(StandardCharsets.UTF_8).length).as("part of %s", key)
                        .isLessThanOrEqualTo(StoredKeys.MAX_NAME);
                assertThat(part.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)).as("ASCII: %s", part).isTrue();
            }
        }
    }

    @Test
    void aKeyAndAKeyBelowItGetAFileAndADirectory() {
        assertThat(StoredKeys.encode("a")).isEqualTo("a");
        assertThat(StoredKeys.encode("a/b")).isEqualTo("a%2F/b");
        assertThat(StoredKeys.encode("uploads/../renditions/x")).isEqualTo("uploads%2F/%2E.%2F/renditions%2F/x");
        assertThat(StoredKeys.encode("a/")).isEqualTo("a%2F/%");
    }

    @Test
    void namesOfEveryPrefixStartWithTheNameOfItsDirectories() {
        for (String key : AWKWARD) {
            for (int i = 0; i <= key.length(); i++) {
                String prefix = key.substring(0, i);
                if (Character.isLowSurrogate(prefix.isEmpty() ? 'x' : key.charAt(Math.max(0, i - 1)))
                        || (i < key.length() && Character.isLowSurrogate(key.charAt(i)))) {
                    continue;
                }
                assertThat(StoredKeys.encode(key)).as("prefix '%s' of '%s'", prefix, key)
                        .startsWith(StoredKeys.encodeDirectories(prefix));
            }
        }
    }

    @Test
    void randomKeysRoundTrip() {
        Random r = new Random(7);
        String alphabet = "ab./%+ \u0000\u00e9\u4e2d";
        for (int n = 0; n < 5000; n++) {
            StringBuilder k = new StringBuilder();
            int len = r.nextInt(12);
            for (int i = 0; i < len; i++) {
                k.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            assertThat(StoredKeys.decode(StoredKeys.encode(k.toString()))).isEqualTo(k.toString());
        }
    }

    @Test
    void namesNotMadeByEncodeAreNotKeys() {
        assertThat(StoredKeys.decode("uploads/cat.jpg")).as("the old layout").isNull();
        assertThat(StoredKeys.decode(".mpus-123-a-1")).isNull();
        assertThat(StoredKeys.decode("%41")).as("a second spelling of 'A'").isNull();
        assertThat(StoredKeys.decode("a%FF")).as("not UTF-8").isNull();
        assertThat(StoredKeys.decode("a%2F/b%2F")).as("a directory last").isNull();
    }
}

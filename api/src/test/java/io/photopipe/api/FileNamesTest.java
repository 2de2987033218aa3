package io.photopipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FileNamesTest {

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "cat.jpg|image/jpeg|cat.jpg",
            "Holiday 2024 (1).JPEG|image/jpeg|Holiday-2024-1.jpeg",
            "../../etc/passwd|image/jpeg|passwd.jpg",
            "..\\..\\windows\\system32\\cat.png|image/png|cat.png",
            "/absolute/path/to/dog.webp|image/webp|dog.webp",
            "C:\\Users\\me\\Pictures\\IMG_0001.JPG|image/jpeg|IMG_0001.jpg",
            "evil.exe|image/png|evil-exe.png",
            "photo.php.jpg|image/jpeg|photo-php.jpg",
            "..|image/jpeg|photo.jpg",
            ".hidden|image/gif|hidden.gif",
            "_status.json|image/png|status-json.png",
            "Café crème.jpg|image/jpeg|Cafe-creme.jpg",
            "ｃａｔ．ｊｐｇ|image/jpeg|cat.jpg",
            "猫.png|image/png|photo.png",
            "no-extension|image/tiff|no-extension.tif",
            "scan.TIFF|image/tiff|scan.tiff",
            "weird.heif|image/x-portable-anymap|weird-heif.portablean",
            "..\uff0f..\uff0fetc\uff0fpasswd|image/jpeg|passwd.jpg",
    })
    void examples(String declared, String contentType, String expected) {
        assertThat(FileNames.sanitise(declared, contentType)).isEqualTo(expected);
    }

    @Test
    void controlAndFormatCharactersNeverSurvive() {
        assertThat(FileNames.sanitise("a\u0000b\r\nc\u001b[31m.jpg", "image/jpeg")).isEqualTo("a-b-c-31m.jpg");
        // Right-to-left override: "photo\u202Egpj.exe" displays as "photoexe.jpg"
        assertThat(FileNames.sanitise("photo\u202Egpj.exe", "image/jpeg")).isEqualTo("photo-gpj-exe.jpg");
        assertThat(FileNames.sanitise("zero\u200Bwidth\uFEFF.png", "image/png")).isEqualTo("zero-width.png");
    }

    @Test
    void longNamesAreCut() {
        String name = FileNames.sanitise("x".repeat(250) + ".jpg", "image/jpeg");
        assertThat(name).hasSize(84).endsWith(".jpg");
    }

    private static final String[] HOSTILE_ALPHABETS = {
            "./\\",                                                  // path syntax
            "./\\abc\u0000\n\r\t\u007f\u0085",                // and controls
            "a.\u202e\u202d\u200b\u200d\u2066\ufeff\u00ad",    // bidi and zero-width format characters
            "\uff0e\uff0f\uff3c\u2215\u2044\u29f8\u2024\ufe52a", // fullwidth and look-alike dots and slashes
            "e\u0301\u0308\u0338aA1_-.~%:*?\"<>|",                  // combining marks, shell and URL specials
            "\u732b\ud83d\ude00\u0410\u0430\u00c5.",             // other scripts, emoji halves, look-alikes
    };

    /**
     * Property: whatever a client declares, the result is one safe key segment, never a path, with the right
     * extension. 2,000 hostile names per alphabet, from a fixed seed so a failure reproduces.
     */
    @ParameterizedTest(name = "alphabet {0}")
    @MethodSource("alphabets")
    void anyDeclaredNameBecomesOneSafeSegment(int alphabet) {
        Random random = new Random(20261126L + alphabet);
        String chars = HOSTILE_ALPHABETS[alphabet];
        for (int i = 0; i < 2000; i++) {
            StringBuilder declared = new StringBuilder();
            int length = 1 + random.nextInt(60);
            for (int c = 0; c < length; c++) {
                declared.append(random.nextInt(8) == 0 ? "../"
                        : String.valueOf(chars.charAt(random.nextInt(chars.length()))));
            }
            if (random.nextBoolean()) {
                declared.append(random.nextBoolean() ? ".jpg" : ".png");
            }
            for (String type : new String[] {"image/jpeg", "image/png", "image/webp"}) {
                String safe = FileNames.sanitise(declared.toString(), type);
                assertThat(safe).as("from %s", escape(declared.toString()))
                        .matches(FileNames.SAFE)
                        .doesNotContain("..", "/", "\\")
                        .endsWith("." + FileNames.extensionsOf(type).getFirst())
                        .hasSizeLessThanOrEqualTo(FileNames.MAX_LENGTH);
                assertThat(safe.charAt(0)).isNotIn('.', '-', '_');
            }
        }
    }

    static IntStream alphabets() {
        return IntStream.range(0, HOSTILE_ALPHABETS.length);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? Character.toString(c)
                : "\\u{" + Integer.toHexString(c) + "}"));
        return out.toString();
    }
}

package io.photopipe.local.servers.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class S3KeyRulesTest {

    @Test
    void dotDotAboveTheBucketIsABodilessBadRequestInEverySpelling() {
        for (String target : new String[] {"/b/../x", "/b/a/../../x", "/b/%2E%2E/x", "/b/%2e%2e%2fx", "/b/..",
                "/b/./../x", "/b//../x"}) {
            assertThat(S3KeyRules.check(target)).as(target).isEqualTo(new S3KeyRules.Refusal(400, null, null));
        }
    }

    @Test
    void dotSegmentsInsideTheBucketAndEmptySegmentsAreKeys() {
        for (String target : new String[] {"/b/uploads/../renditions/x", "/b/./x", "/b/a/./b", "/b/a//b", "/b/a/%2Fb",
                "/b/x/..", "/b/%2E", "/b/a%20b+c", "/b/tab%09", "/b/nul%00", "/b/caf%C3%A9", "/b", "/b/",
                "/b?list-type=2&prefix=../x", "http://127.0.0.1:9000/b/k"}) {
            assertThat(S3KeyRules.check(target)).as(target).isNull();
        }
    }

    @Test
    void aKeyOver1024BytesIsKeyTooLongWithItsSize() {
        assertThat(S3KeyRules.check("/b/" + "k".repeat(1024))).isNull();
        assertThat(S3KeyRules.check("/b/" + "k".repeat(1020) + "%C3%A9%C3%A9")).as("1,024 bytes in 1,022 chars").isNull();
        S3KeyRules.Refusal r = S3KeyRules.check("/b/" + "k".repeat(1021) + "%C3%A9%C3%A9");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("KeyTooLongError");
        assertThat(r.xml()).contains("<Message>Your key is too long.</Message>", "<Size>1025</Size>",
                "<MaxSizeAllowed>1024</MaxSizeAllowed>");
    }

    @Test
    void bytesThatAreNotUtf8AreInvalidUri() {
        for (String target : new String[] {"/b/a%FF", "/b/%C3", "/b/a%GG", "/b/a%2"}) {
            S3KeyRules.Refusal r = S3KeyRules.check(target);
            assertThat(r).as(target).isNotNull();
            assertThat(r.code()).isEqualTo("InvalidURI");
            assertThat(r.xml()).contains("Couldn't parse the specified URI.");
        }
    }

    @Test
    void encodedSlashesInThePathBecomeSlashesAndTheQueryIsLeftAlone() {
        assertThat(S3KeyRules.canonicalSlashes("/b/a/%2Fb?X-Amz-Credential=x%2F20260101"))
                .isEqualTo("/b/a//b?X-Amz-Credential=x%2F20260101");
        assertThat(S3KeyRules.canonicalSlashes("/b/a%252Fb")).isEqualTo("/b/a%252Fb");
    }
}

package io.photopipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.FunctionEnv;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-client upload rate, counted in the real S3 server, with the clock moved instead of waited for. */
class UploadRateLimitTest {
    private static final String DECLARATION = "{\"fileName\": \"a.jpg\", \"contentType\": \"image/jpeg\", \"size\": 5}";
    private static TestBed identified;
    private static TestBed anonymous;

    @BeforeAll
    static void start() {
        identified = TestBed.start(env -> env.put(FunctionEnv.UPLOADS_PER_CLIENT_PER_MINUTE, "3"));
        anonymous = TestBed.start(env -> {
            env.put(FunctionEnv.UPLOADS_PER_CLIENT_PER_MINUTE, "3");
            env.put(FunctionEnv.API_AUTH, "none");
        });
    }

    @AfterAll
    static void stop() {
        identified.close();
        anonymous.close();
    }

    @BeforeEach
    void nextMinute() {
        // Every test starts where no earlier test's uploads count any more
        identified.clock.advance(Duration.ofMinutes(2));
        anonymous.clock.advance(Duration.ofMinutes(2));
    }

    @Test
    void aClientGetsItsLimitPerMinuteThen429WithRetryAfterAndOthersAreNotAffected() {
        for (int i = 0; i < 3; i++) {
            assertThat(identified.post("/uploads", DECLARATION).status()).isEqualTo(201);
        }
        identified.clock.advance(Duration.ofSeconds(20));

        HttpResponse refused = identified.post("/uploads", DECLARATION);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(TestBed.json(refused).get("code").asText()).isEqualTo("too-many-uploads");
        assertThat(TestBed.json(refused).get("message").asText()).contains("3 uploads in the last minute");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(39, 41);
        assertThat(identified.post("/uploads", DECLARATION, TestBed.BOB).status()).isEqualTo(201);

        identified.clock.advance(Duration.ofSeconds(41));
        assertThat(identified.post("/uploads", DECLARATION).status()).isEqualTo(201);
    }

    @Test
    void refusedDeclarationsAndRefusalsDoNotCount() {
        for (int i = 0; i < 5; i++) {
            assertThat(identified.post("/uploads", "{\"fileName\": \"a.jpg\"}").status()).isEqualTo(400);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(identified.post("/uploads", DECLARATION).status()).isEqualTo(201);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(identified.post("/uploads", DECLARATION).status()).isEqualTo(429);
        }
        identified.clock.advance(Duration.ofSeconds(61));
        assertThat(identified.post("/uploads", DECLARATION).status()).isEqualTo(201);
    }

    @Test
    void anAnonymousClientIsItsSourceAddressAndTheLocalMachineIsNotCounted() {
        Identity first = Identity.anonymous("203.0.113.7");
        Identity second = Identity.anonymous("2001:db8::7");
        for (int i = 0; i < 3; i++) {
            assertThat(anonymous.post("/uploads", DECLARATION, first).status()).isEqualTo(201);
        }
        assertThat(anonymous.post("/uploads", DECLARATION, first).status()).isEqualTo(429);
        assertThat(anonymous.post("/uploads", DECLARATION, second).status()).isEqualTo(201);

        for (String loopback : new String[] {"127.0.0.1", "::1"}) {
            for (int i = 0; i < 5; i++) {
                assertThat(anonymous.post("/uploads", DECLARATION, Identity.anonymous(loopback)).status())
                        .as(loopback).isEqualTo(201);
            }
        }
    }

    @Test
    void countersNameNoIdentity() {
        identified.post("/uploads", DECLARATION);
        assertThat(identified.s3.client().listObjectsV2(b -> b.bucket("photopipe-photos")
                .prefix("renditions/_api/clients/")).contents())
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.key()).matches("renditions/_api/clients/[0-9a-f]{32}/[0-9a-z]{26}")
                        .doesNotContain("alice"));
    }
}

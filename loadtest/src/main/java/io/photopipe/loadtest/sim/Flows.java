package io.photopipe.loadtest.sim;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.photopipe.loadtest.E2eRecorder;
import io.photopipe.loadtest.RunContext;
import java.util.Map;

/** The request chains the simulations share. */
public final class Flows {
    /** The group whose duration is the end-to-end time from the start of the upload to the photo's final status. */
    public static final String UPLOAD_TO_READY = "upload-to-ready";
    public static final String UPLOAD_TO_FAILED = "upload-to-failed";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Flows() {
    }

    /** The API protocol: base URL, JSON, presigned URLs sent exactly as signed. */
    public static HttpProtocolBuilder protocol(RunContext ctx) {
        return http.baseUrl(ctx.target().apiBase().toString())
                .acceptHeader("application/json")
                .disableUrlEncoding() // presigned URLs are already encoded; re-encoding would break the signature
                .userAgentHeader("photopipe-loadtest");
    }

    /**
     * One upload as a user makes it: POST /uploads, PUT the photo to the presigned URL, poll GET /images/{id} (with
     * {@link #backoff}) until it is no longer pending. The PUT and the polling are inside the group {@code group}, whose duration (the
     * report uses group durations, see gatling.conf) is what the user waited; a corrupt photo is timed in
     * {@link #UPLOAD_TO_FAILED} instead. The end-to-end time proper ends at the worker's own {@code readyAt} (or
     * {@code failedAt}) in the answer, not at the poll that saw it, so the polling interval does not round it. The end-to-end time is then logged as a request ({@link E2eTiming}), KO
     * when the photo did not end as expected (or not before the ready timeout).
     */
    public static ChainBuilder upload(RunContext ctx, String group) {
        long pollMs = ctx.options().pollInterval().toMillis();
        long timeoutMs = ctx.options().readyTimeout().toMillis();
        E2eRecorder recorder = ctx.recorder();
        return feed(ctx.photos().feeder())
                .exec(http("POST /uploads").post("/uploads")
                        .body(StringBody(s -> json(Map.of("fileName", s.getString("fileName"),
                                "contentType", s.getString("contentType"), "size", s.getInt("size")))))
                        .asJson()
                        .check(status().is(201), jmesPath("id").saveAs("id"), jmesPath("upload.url").saveAs("putUrl"),
                                // Signed into the URL (S3 takes one PUT per URL), so it must be sent as answered
                                jmesPath("upload.headers.\"If-None-Match\"").saveAs("ifNoneMatch")))
                .exitHereIfFailed()
                .exec(s -> s.set("group", "failed".equals(s.getString("expect")) ? UPLOAD_TO_FAILED : group))
                .group("#{group}").on(
                        exec(s -> s.set("t0", System.currentTimeMillis()).set("status", "pending")
                                .set("pollMs", pollMs))
                                .exec(http("PUT photo (presigned)").put("#{putUrl}")
                                        .header("Content-Type", "#{contentType}")
                                        .header("If-None-Match", "#{ifNoneMatch}")
                                        .body(ByteArrayBody(s -> (byte[]) s.get("body")))
                                        .check(status().is(200)))
                                .asLongAs(s -> pending(s, timeoutMs)).on(
                                        pause(s -> java.time.Duration.ofMillis(s.getLong("pollMs")))
                                                .exec(s -> s.set("pollMs", backoff(s.getLong("pollMs"), pollMs)))
                                                .exec(http("GET /images/{id}").get("/images/#{id}")
                                                        .check(status().is(200),
                                                                jmesPath("status").saveAs("status"),
                                                                jmesPath("readyAt").optional().saveAs("doneAt"),
                                                                jmesPath("failedAt").optional().saveAs("doneAt")))))
                .exec(s -> s.set("outcome", "pending".equals(s.getString("status")) ? "timeout"
                        : s.getString("status")))
                .exec(new E2eTiming(recorder));
    }

    /**
     * The next wait between polls: doubled after each poll up to four times {@code --poll-interval}, so a photo that
     * takes long costs few requests (the API is a Lambda function too: locally every concurrent request beyond the
     * warm environments starts a JVM) while a quick one is still seen within one interval.
     */
    static long backoff(long current, long first) {
        return Math.min(current * 2, first * 4);
    }

    private static boolean pending(Session s, long timeoutMs) {
        return s.contains("status") && "pending".equals(s.getString("status"))
                && System.currentTimeMillis() - s.getLong("t0") < timeoutMs;
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.photopipe.local.servers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An independent client (Debian's AWS CLI 2.9, botocore over urllib3) through the fault proxy: a multipart upload
 * that meets a SlowDown, and the download. It handles {@code Expect: 100-continue}, retries and connection reuse
 * differently from the Java SDK. (SQS with the CLI is the local runtime's end-to-end business.)
 * Skips when {@code /usr/bin/aws} is missing ({@code apt-get install awscli}).
 */
class AwsCliTest {

    static final Path AWS = Path.of("/usr/bin/aws");
    static EmbeddedS3 s3;

    @BeforeAll
    static void start() {
        assumeTrue(Files.isExecutable(AWS), "Debian's awscli is not installed (/usr/bin/aws): skipping");
        s3 = EmbeddedS3.start();
        s3.createBucket("cli");
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void multipartCopyUpAndDownThroughTheFaultProxy(@TempDir Path dir) throws Exception {
        byte[] data = new byte[12 * 1024 * 1024]; // above the CLI's 8 MiB multipart threshold
        new Random(5).nextBytes(data);
        Path up = Files.write(dir.resolve("big.bin"), data);
        s3.faults().failNext(1, S3Faults.Fault.slowDown(), S3Faults.RequestMatcher.method("PUT"));
        String out = aws("s3", "cp", up.toString(), "s3://cli/uploads/big bin.bin",
                "--endpoint-url", s3.endpoint().toString());
        assertThat(out).contains("upload:");
        assertThat(s3.faults().count(S3Faults.Kind.SLOW_DOWN)).as("the CLI retried through a SlowDown").isEqualTo(1);
        assertThat(s3.client().headObject(b -> b.bucket("cli").key("uploads/big bin.bin")).contentLength())
                .isEqualTo(data.length);
        Path down = dir.resolve("down.bin");
        aws("s3", "cp", "s3://cli/uploads/big bin.bin", down.toString(), "--endpoint-url", s3.endpoint().toString());
        assertThat(Files.readAllBytes(down)).isEqualTo(data);
    }

    /**
     * What S3 stores literally the CLI stores literally (it sends dot segments as they are, as the SDKs' protocol
     * tests require), and what S3 refuses it reports as S3 does: "An error occurred (400) when calling the PutObject
     * operation: Bad Request" for {@code ../x} (the same words floci-io/floci#1231 quotes from AWS).
     */
    @Test
    void dotSegmentsAreKeysUnlessTheyClimbOutAndLongKeysAreRefused(@TempDir Path dir) throws Exception {
        Path body = Files.writeString(dir.resolve("f.txt"), "hi");
        String endpoint = "--endpoint-url=" + s3.endpoint();
        for (String key : List.of("uploads/../renditions/x", "a//b", "./x", "x/..")) {
            aws("s3api", "put-object", "--bucket", "cli", "--key", key, "--body", body.toString(), endpoint);
        }
        aws("s3", "cp", body.toString(), "s3://cli/uploads/Summer 2023/café + friends.jpg", endpoint);
        String listing = aws("s3", "ls", "--recursive", "s3://cli/", endpoint);
        assertThat(listing).contains(" uploads/../renditions/x", " a//b", " ./x", " x/..",
                " uploads/Summer 2023/café + friends.jpg").doesNotContain(" renditions/x\n");

        Result up = run("s3api", "put-object", "--bucket", "cli", "--key", "../x", "--body", body.toString(), endpoint);
        assertThat(up.exit()).isNotZero();
        assertThat(up.out()).contains("An error occurred (400) when calling the PutObject operation: Bad Request");
        Result tooLong = run("s3api", "put-object", "--bucket", "cli", "--key", "k".repeat(1025), "--body",
                body.toString(), endpoint);
        assertThat(tooLong.exit()).isNotZero();
        assertThat(tooLong.out()).contains("(KeyTooLongError)", "Your key is too long.");
    }

    record Result(int exit, String out) {
    }

    private static String aws(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        assertThat(r.exit()).as("aws %s%n%s", String.join(" ", args), r.out()).isZero();
        return r.out();
    }

    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(AWS.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("AWS_ACCESS_KEY_ID", LocalCredentials.ACCESS_KEY_ID);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", LocalCredentials.SECRET_ACCESS_KEY);
        pb.environment().put("AWS_DEFAULT_REGION", LocalCredentials.REGION);
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().put("AWS_PAGER", "");
        pb.environment().put("AWS_CONFIG_FILE", "/dev/null");
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("aws finished").isTrue();
        return new Result(p.exitValue(), out);
    }
}

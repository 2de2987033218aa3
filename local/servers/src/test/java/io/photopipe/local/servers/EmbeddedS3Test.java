package io.photopipe.local.servers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedS3Test {

    static EmbeddedS3 s3;
    static S3Client client;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start();
        s3.createBucket("photos");
        client = s3.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void putGetListDelete() {
        client.putObject(b -> b.bucket("photos").key("uploads/a b+c.txt"), RequestBody.fromString("hello"));
        String body = client.getObjectAsBytes(b -> b.bucket("photos").key("uploads/a b+c.txt"))
                .asString(StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("hello");
        assertThat(client.listObjectsV2(b -> b.bucket("photos").prefix("uploads/")).contents())
                .extracting(S3Object::key).contains("uploads/a b+c.txt");
        client.deleteObject(b -> b.bucket("photos").key("uploads/a b+c.txt"));
        assertThat(client.listObjectsV2(b -> b.bucket("photos").prefix("uploads/")).contents()).isEmpty();
    }

    @Test
    void createBucketIsIdempotent() {
        s3.createBucket("twice");
        s3.createBucket("twice");
        assertThat(client.listBuckets().buckets()).anyMatch(b -> b.name().equals("twice"));
    }
}

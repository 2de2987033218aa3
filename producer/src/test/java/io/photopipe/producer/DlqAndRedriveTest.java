package io.photopipe.producer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.photopipe.core.MessageAttributes;
import io.photopipe.core.S3EventMessages;
import io.photopipe.local.servers.EmbeddedSqs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** dlq list/show/purge and redrive through the CLI, against a queue with a real redrive policy. */
class DlqAndRedriveTest {
    Stack stack = Stack.get();
    EmbeddedSqs.QueuePair pair;
    String name;
    String dlqName;

    @BeforeEach
    void queues() {
        name = Stack.unique("work");
        dlqName = name + "-dlq";
        pair = stack.sqsServer.createQueueWithDlq(name, dlqName, 3, 30);
    }

    static MessageAttributeValue s(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }

    /** Puts failed messages into the DLQ as the worker does: the original body plus reason attributes. */
    List<String> fail(String code, String reason, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = "uploads/" + code + "-" + i + ".jpg";
            Map<String, MessageAttributeValue> attrs = new HashMap<>();
            if (code != null) {
                attrs.put(MessageAttributes.REASON_CODE, s(code));
                attrs.put(MessageAttributes.REASON, s(reason));
                attrs.put(MessageAttributes.OBJECT, s("photos/" + key));
            }
            ids.add(stack.sqs().sendMessage(r -> r.queueUrl(pair.dlqUrl())
                    .messageBody(S3EventMessages.reprocess("us-east-1", "photos", key, 10, "e"))
                    .messageAttributes(attrs)).messageId());
        }
        return ids;
    }

    long depth(String url) {
        return Long.parseLong(Queues.attributes(stack.sqs(), url).get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    @Test
    void listGroupsByReasonAndLeavesTheMessagesThere() {
        fail("undecodable", "not an image: starts with 'PK'", 3);
        fail("too-many-pixels", "46000x46000 is over the 120 MP limit", 2);
        fail(null, null, 1);

        Cli.Result r = Cli.run("dlq", "list", "--dlq", dlqName, "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode groups = r.json().path("groups");
        assertThat(r.json().path("messages").asInt()).isEqualTo(6);
        assertThat(groups).hasSize(3);
        assertThat(groups.get(0).path("reasonCode").asText()).isEqualTo("undecodable");
        assertThat(groups.get(0).path("count").asInt()).isEqualTo(3);
        assertThat(groups.get(0).path("objects").get(0).asText()).startsWith("photos/uploads/undecodable-");
        assertThat(groups.get(1).path("reasonCode").asText()).isEqualTo("too-many-pixels");
        assertThat(groups.get(2).path("reasonCode").asText()).isEqualTo(DlqMessage.NO_REASON);
        assertThat(groups.get(2).path("objects").get(0).asText()).isEqualTo("photos/uploads/null-0.jpg");
        assertThat(depth(pair.dlqUrl())).isEqualTo(6); // peeked, released, still there and visible

        Cli.Result text = Cli.run("dlq", "list", "--dlq", dlqName);
        assertThat(text.out()).contains("6 messages").contains("undecodable").contains("not an image");
    }

    @Test
    void showFindsOneMessageWithItsReasonAndBody() {
        String id = fail("undecodable", "not an image", 2).get(1);

        Cli.Result r = Cli.run("dlq", "show", id, "--dlq", dlqName);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(id).contains("undecodable: not an image").contains("ObjectCreated:Reprocess");
        assertThat(Cli.run("dlq", "show", "no-such-id", "--dlq", dlqName).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void purgeNeedsConfirmationAndCanTakeOneReason() {
        fail("undecodable", "x", 3);
        fail("too-large", "y", 2);

        assertThat(Cli.run("dlq", "purge", "--dlq", dlqName).exitCode()).isEqualTo(ExitCodes.USAGE); // no terminal
        assertThat(depth(pair.dlqUrl())).isEqualTo(5);

        Cli.Result r = Cli.run("dlq", "purge", "--dlq", dlqName, "--reason", "undecodable", "--yes", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json().path("deleted").asLong()).isEqualTo(3);
        assertThat(depth(pair.dlqUrl())).isEqualTo(2);

        assertThat(Cli.run("dlq", "purge", "--dlq", dlqName, "--yes").exitCode()).isZero();
        assertThat(depth(pair.dlqUrl())).isZero();
    }

    @Test
    void redriveUsesAMoveTaskAndMovesEverythingBack() throws Exception {
        fail("s3-unavailable", "SlowDown", 25);

        Cli.Result r = Cli.run("redrive", "--dlq", dlqName, "--to", name, "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json().path("method").asText()).isEqualTo("move-task");
        assertThat(r.json().path("taskStatus").asText()).isEqualTo("COMPLETED");
        List<Message> back = stack.drain(pair.queueUrl());
        assertThat(back).hasSize(25);
        assertThat(Stack.keys(back)).allMatch(k -> k.startsWith("uploads/s3-unavailable-"));
        assertThat(depth(pair.dlqUrl())).isZero();
    }

    @Test
    void redriveOfOneReasonMovesOnlyThoseKeepingTheirAttributes() throws Exception {
        fail("s3-unavailable", "SlowDown", 12);
        fail("undecodable", "not an image", 4);

        Cli.Result r = Cli.run("redrive", "--dlq", dlqName, "--to", name, "--reason", "s3-unavailable", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json().path("method").asText()).isEqualTo("manual");
        assertThat(r.json().path("moved").asLong()).isEqualTo(12);
        assertThat(r.json().path("skipped").asLong()).isEqualTo(4);
        List<Message> back = stack.drain(pair.queueUrl());
        assertThat(back).hasSize(12).allSatisfy(m -> assertThat(
                m.messageAttributes().get(MessageAttributes.REASON_CODE).stringValue()).isEqualTo("s3-unavailable"));
        assertThat(depth(pair.dlqUrl())).isEqualTo(4); // the others are still there, and visible again
    }

    @Test
    void manualRedriveWithAMaximumAndARateMovesExactlyThatMany() throws Exception {
        fail("s3-unavailable", "SlowDown", 30);

        Cli.Result r = Cli.run("redrive", "--dlq", dlqName, "--to", name, "--max", "17", "--rate", "500/s");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("redrive (manual)").contains("moved 17");
        assertThat(stack.drain(pair.queueUrl())).hasSize(17);
        assertThat(depth(pair.dlqUrl())).isEqualTo(13);
    }

    @Test
    void aQueueThatIsNoQueuesDlqIsNeverGivenToStartMessageMoveTask() throws Exception {
        // STACK.md: ElasticMQ never answers a move task whose source is not a DLQ; the manual path must be taken.
        String plain = stack.sqsServer.createQueue(Stack.unique("plain"), Map.of());
        stack.sqs().sendMessage(r -> r.queueUrl(plain).messageBody("{}"));

        Cli.Result r = Cli.run("redrive", "--dlq", plain, "--to", name, "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json().path("method").asText()).isEqualTo("manual");
        assertThat(r.json().path("moved").asLong()).isEqualTo(1);
    }

    /** Puts a message into the DLQ as the queue's redrive policy does: the original body, no attributes. */
    String movedByTheQueue(String bucket, String key) {
        return stack.sqs().sendMessage(r -> r.queueUrl(pair.dlqUrl())
                .messageBody(S3EventMessages.reprocess("us-east-1", bucket, key, 10, "e"))).messageId();
    }

    void putDocument(String bucket, String key, String json) {
        stack.s3().putObject(b -> b.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString(json));
    }

    @Test
    void messagesTheQueueMovedAfterACrashAreNamedFromTheAttemptRecordAndRedrivenByThatReason() throws Exception {
        String bucket = stack.bucket("crashed");
        io.photopipe.core.OutputLayout layout = new io.photopipe.core.OutputLayout(bucket, "uploads/", bucket,
                "renditions/");
        String crashed = movedByTheQueue(bucket, "uploads/crashed.jpg");
        java.time.Instant started = java.time.Instant.now().minus(java.time.Duration.ofMinutes(30));
        putDocument(bucket, layout.attemptKey("uploads/crashed.jpg"), io.photopipe.core.AttemptRecord.empty(bucket,
                "uploads/crashed.jpg").with(io.photopipe.core.AttemptRecord.Attempt.started(crashed, 5, 5, "e",
                "2026/12/08/[$LATEST]abc", started, started.plusSeconds(60))).toJson());
        String failed = movedByTheQueue(bucket, "uploads/failed.jpg");
        putDocument(bucket, layout.statusKey("uploads/failed.jpg"), io.photopipe.core.PhotoStatus.failed(bucket,
                "uploads/failed.jpg", "e", "h", "retries-exhausted:s3-unavailable", "PUT failed").toJson());
        movedByTheQueue(bucket, "uploads/unknown.jpg");
        fail("retries-exhausted:circuit-open", "breaker open", 2);

        Cli.Result r = Cli.run("dlq", "list", "--dlq", dlqName, "--json", "--messages");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, Integer> counts = new HashMap<>();
        r.json().path("groups").forEach(g -> counts.put(g.path("reasonCode").asText(), g.path("count").asInt()));
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("crashed-during-render", 1,
                "retries-exhausted:s3-unavailable", 1, "retries-exhausted:circuit-open", 2, DlqMessage.NO_REASON, 1));

        Cli.Result show = Cli.run("dlq", "show", crashed, "--dlq", dlqName);
        assertThat(show.out()).contains("crashed-during-render: moved by the queue after its last delivery",
                "delivery 5: crashed-during-render (environment 2026/12/08/[$LATEST]abc", "from      attempt-record");
        assertThat(Cli.run("dlq", "show", failed, "--dlq", dlqName).out()).contains("from      status");

        // --reason finds them by the named reason, and a family takes all of its causes.
        Cli.Result one = Cli.run("redrive", "--dlq", dlqName, "--to", name, "--reason", "crashed-during-render",
                "--json");
        assertThat(one.json().path("moved").asLong()).as(one.err()).isEqualTo(1);
        Cli.Result family = Cli.run("redrive", "--dlq", dlqName, "--to", name, "--reason", "retries-exhausted",
                "--json");
        assertThat(family.json().path("moved").asLong()).as(family.err()).isEqualTo(3);
        assertThat(stack.drain(pair.queueUrl())).hasSize(4);
        assertThat(depth(pair.dlqUrl())).isEqualTo(1); // the one nothing names
    }
}

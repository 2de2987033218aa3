package io.photopipe.worker.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Lambda events as Lambda delivers them: JSON turned into {@link SQSEvent} (the way the Java runtime does, field
 * names matched case-insensitively: {@code Records}, {@code eventSourceARN}), and a fixed-deadline {@link Context}.
 */
public final class LambdaEvents {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private LambdaEvents() {
    }

    /** An SQS event from its JSON. */
    public static SQSEvent sqsEvent(String json) {
        try {
            return JSON.readValue(json, SQSEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A test resource as text. */
    public static String resource(String path) {
        try (InputStream in = LambdaEvents.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON Lambda's SQS event source mapping sends for messages received from {@code queueArn}. */
    public static String sqsEventJson(List<Message> messages, String queueArn) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode records = root.putArray("Records");
        for (Message m : messages) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            ObjectNode attrs = r.putObject("attributes");
            m.attributesAsStrings().forEach(attrs::put);
            ObjectNode mattrs = r.putObject("messageAttributes");
            m.messageAttributes().forEach((name, v) -> {
                ObjectNode a = mattrs.putObject(name);
                a.put("stringValue", v.stringValue());
                a.putArray("stringListValues");
                a.putArray("binaryListValues");
                a.put("dataType", v.dataType());
            });
            r.put("md5OfBody", m.md5OfBody());
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", "us-east-1");
        }
        return root.toString();
    }

    /** A context whose deadline is {@code remainingMillis} after its creation. */
    public static Context context(long remainingMillis) {
        long deadline = System.currentTimeMillis() + remainingMillis;
        return new Context() {
            public String getAwsRequestId() {
                return "test-request";
            }

            public String getLogGroupName() {
                return "/aws/lambda/photopipe-worker";
            }

            public String getLogStreamName() {
                return "test";
            }

            public String getFunctionName() {
                return "photopipe-worker";
            }

            public String getFunctionVersion() {
                return "$LATEST";
            }

            public String getInvokedFunctionArn() {
                return "arn:aws:lambda:us-east-1:000000000000:function:photopipe-worker";
            }

            public CognitoIdentity getIdentity() {
                return null;
            }

            public ClientContext getClientContext() {
                return null;
            }

            public int getRemainingTimeInMillis() {
                return (int) Math.max(0, deadline - System.currentTimeMillis());
            }

            public int getMemoryLimitInMB() {
                return 2048;
            }

            public LambdaLogger getLogger() {
                return null;
            }
        };
    }
}

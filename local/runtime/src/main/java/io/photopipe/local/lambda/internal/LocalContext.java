package io.photopipe.local.lambda.internal;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.photopipe.local.lambda.FunctionConfig;
import java.nio.charset.StandardCharsets;

/** The {@link Context} of an in-process invocation, with the values the runtime client would give. */
final class LocalContext implements Context {
    private final String requestId;
    private final FunctionConfig fn;
    private final String region;
    private final long deadlineMs;
    private final EnvironmentLog log;

    LocalContext(String requestId, FunctionConfig fn, String region, long deadlineMs, EnvironmentLog log) {
        this.requestId = requestId;
        this.fn = fn;
        this.region = region;
        this.deadlineMs = deadlineMs;
        this.log = log;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + fn.name();
    }

    @Override
    public String getLogStreamName() {
        return "in-process";
    }

    @Override
    public String getFunctionName() {
        return fn.name();
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return ChildJvmCommand.functionArn(region, fn.name());
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineMs - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return fn.memoryMb();
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                log.line(message);
            }

            @Override
            public void log(byte[] message) {
                log.line(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}

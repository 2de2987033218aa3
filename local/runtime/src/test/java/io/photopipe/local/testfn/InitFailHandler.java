package io.photopipe.local.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** Test function whose Init phase fails (its static initializer throws). */
public class InitFailHandler implements RequestHandler<String, String> {
    static {
        if (System.getenv("NEVER_SET_VARIABLE") == null) {
            throw new IllegalStateException("cannot initialise: configuration missing");
        }
    }

    @Override
    public String handleRequest(String input, Context context) {
        return input;
    }
}

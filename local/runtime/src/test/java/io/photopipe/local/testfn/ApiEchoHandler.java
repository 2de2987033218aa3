package io.photopipe.local.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Test function behind the HTTP API: {@code /fail} throws, {@code /binary} answers base64 bytes, {@code /cookies}
 * answers 201 with cookies and a header; anything else answers 200 with the event it received, re-serialized.
 */
public class ApiEchoHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        switch (event.getRawPath()) {
            case "/fail" -> throw new IllegalStateException("scripted failure");
            case "/binary" -> {
                return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                        .withHeaders(Map.of("Content-Type", "application/octet-stream"))
                        .withBody(Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 255}))
                        .withIsBase64Encoded(true).build();
            }
            case "/cookies" -> {
                return APIGatewayV2HTTPResponse.builder().withStatusCode(201)
                        .withHeaders(Map.of("X-Custom", "v")).withCookies(List.of("a=1; Path=/", "b=2"))
                        .withBody("made").build();
            }
            default -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, getClass().getClassLoader())
                        .toJson(event, out);
                return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                        .withHeaders(Map.of("Content-Type", "application/json"))
                        .withBody(out.toString(StandardCharsets.UTF_8)).build();
            }
        }
    }
}

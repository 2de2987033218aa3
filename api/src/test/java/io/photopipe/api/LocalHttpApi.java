package io.photopipe.api;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * For tests in this module only: a minimal stand-in for API Gateway in front of {@link ApiHandler}, in process, so
 * a browser can talk to the handler over HTTP. The local runtime's {@code HttpApi} does the same for the deployment
 * jar in a child JVM.
 */
final class LocalHttpApi implements AutoCloseable {
    private final HttpServer server;

    private LocalHttpApi(HttpServer server) {
        this.server = server;
    }

    static LocalHttpApi start(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> serve(handler, exchange));
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            return new LocalHttpApi(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void serve(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                              HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                    .withVersion("2.0").withRouteKey("$default").withRawPath(path)
                    .withRawQueryString(exchange.getRequestURI().getRawQuery() == null ? ""
                            : exchange.getRequestURI().getRawQuery())
                    .withHeaders(headers)
                    .withBody(body.length == 0 ? null : Base64.getEncoder().encodeToString(body))
                    .withIsBase64Encoded(body.length > 0)
                    .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withStage("$default")
                            .withDomainName(headers.getOrDefault("host", "127.0.0.1"))
                            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                    .withMethod(exchange.getRequestMethod()).withPath(path).build())
                            .build())
                    .build();
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
            if (response.getHeaders() != null) {
                response.getHeaders().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            }
            byte[] out = response.getBody() == null ? new byte[0]
                    : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                    : response.getBody().getBytes(StandardCharsets.UTF_8);
            boolean empty = out.length == 0 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.getStatusCode(), empty ? -1 : out.length);
            if (!empty) {
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

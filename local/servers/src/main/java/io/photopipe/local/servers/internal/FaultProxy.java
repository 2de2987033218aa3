package io.photopipe.local.servers.internal;

import io.photopipe.local.servers.S3Faults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP/1.1 proxy in front of S3Proxy that injects {@link S3Faults} per request.
 *
 * <p>Why a proxy rather than a Jetty handler: S3Proxy 4.x builds its (shaded) Jetty server privately and its
 * builder offers no way to wrap the handler; reaching in by reflection would break on any S3Proxy release. A proxy
 * depends only on HTTP. It forwards every request byte unchanged (request line, {@code Host} header, body), so
 * SigV4 signatures, presigned URLs and aws-chunked uploads stay valid; it reads just enough of each request (the
 * head and the body framing: {@code Content-Length} or chunked) to find where the next request on a keep-alive
 * connection starts. Responses are piped back untouched. HTTP/1.1 clients (the SDK's, the AWS CLI's, browsers) do
 * not pipeline, so when a new request arrives the previous response has been delivered and the proxy may answer
 * in the server's place.
 *
 * <p>A terminal error answers with {@code Connection: close}, then drains what the client still sends (a body not
 * preceded by {@code Expect: 100-continue}) before closing, so the client reads the status instead of a reset.
 */
public final class FaultProxy implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
    private static final int MAX_HEAD = 64 * 1024;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final S3Faults faults;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private FaultProxy(ServerSocket server, InetSocketAddress upstream, S3Faults faults) {
        this.server = server;
        this.upstream = upstream;
        this.faults = faults;
    }

    /**
     * Binds {@code host:port} (0 = any free port) and starts forwarding to {@code upstream}.
     *
     * @throws IOException when the address cannot be bound (for example the port is taken)
     */
    public static FaultProxy start(String host, int port, InetSocketAddress upstream, S3Faults faults) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        try {
            ss.bind(new InetSocketAddress(InetAddress.getByName(host), port), 512);
        } catch (IOException e) {
            ss.close();
            throw new IOException("cannot bind S3 endpoint " + host + ":" + port + ": " + e.getMessage(), e);
        }
        FaultProxy proxy = new FaultProxy(ss, upstream, faults);
        Thread.ofPlatform().daemon().name("s3-fault-proxy-accept-" + ss.getLocalPort()).start(proxy::acceptLoop);
        return proxy;
    }

    /** The bound port. */
    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                open.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("S3 fault proxy accept failed", e);
                }
            }
        }
    }

    private void serve(Socket client) {
        Socket up = null;
        try {
            InputStream in = new BufferedInputStream(client.getInputStream(), 64 * 1024);
            OutputStream clientOut = client.getOutputStream();
            OutputStream upOut = null;
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return; // client closed between requests
                }
                RequestHead req = RequestHead.parse(head);
                S3KeyRules.Refusal refusal = S3KeyRules.check(req.target());
                if (refusal != null) {
                    // S3 itself refuses the key: answered here, before any fault (S3's front end answers first)
                    refuse(client, clientOut, in, req, refusal);
                    return;
                }
                String canonical = S3KeyRules.canonicalSlashes(req.target());
                if (!canonical.equals(req.target())) {
                    head = RequestHead.withTarget(head, canonical);
                }
                S3Faults.Injection inj = faults.decide(req.method(), req.decodedPath());
                if (!inj.delay().isZero()) {
                    Thread.sleep(inj.delay());
                }
                if (inj.fault() == S3Faults.Kind.DROP) {
                    // Abortive close (RST) so the client sees a dead connection, not a clean end of a response.
                    client.setSoLinger(true, 0);
                    return;
                }
                if (inj.fault() != null) {
                    answerWithError(client, clientOut, in, req, inj.fault());
                    return;
                }
                if (up == null) {
                    up = new Socket();
                    up.setTcpNoDelay(true);
                    up.connect(upstream, 5_000);
                    open.add(up);
                    Socket upFinal = up;
                    threads.execute(() -> pipe(upFinal, client));
                    upOut = up.getOutputStream();
                }
                upOut.write(head);
                if (req.chunked()) {
                    copyChunked(in, upOut);
                } else if (req.contentLength() > 0) {
                    copyFixed(in, upOut, req.contentLength());
                }
                upOut.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (!closed && !(e instanceof SocketException) && !(e instanceof EOFException)) {
                LOG.debug("S3 fault proxy connection ended: {}", e.toString());
            }
        } finally {
            closeQuietly(client);
            closeQuietly(up);
        }
    }

    /** Upstream to client, byte for byte, until either side closes. */
    private void pipe(Socket up, Socket client) {
        try {
            up.getInputStream().transferTo(client.getOutputStream());
        } catch (IOException ignored) {
            // either side went away; both are closed below
        } finally {
            closeQuietly(up);
            closeQuietly(client);
        }
    }

    private static void answerWithError(Socket client, OutputStream out, InputStream in, RequestHead req,
                                        S3Faults.Kind kind) throws IOException {
        boolean slow = kind == S3Faults.Kind.SLOW_DOWN;
        // Bodies as S3 documents them: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
        String code = slow ? "SlowDown" : "InternalError";
        String message = slow ? "Please reduce your request rate."
                : "We encountered an internal error. Please try again.";
        answer(client, out, in, req, slow ? 503 : 500, slow ? "Slow Down" : "Internal Server Error", code,
                "<Message>" + message + "</Message><Resource>" + escape(req.decodedPath()) + "</Resource>",
                "photopipe-local-fault-injection");
    }

    private static void refuse(Socket client, OutputStream out, InputStream in, RequestHead req,
                               S3KeyRules.Refusal r) throws IOException {
        answer(client, out, in, req, r.status(), "Bad Request", r.code(), r.xml(), "photopipe-local-s3");
    }

    /** An S3 error answer ({@code code} null: no body, as S3 sends some 400s), then the connection is closed. */
    private static void answer(Socket client, OutputStream out, InputStream in, RequestHead req, int status,
                               String reason, String code, String elements, String hostId) throws IOException {
        String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
        String xml = code == null ? "" : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code>"
                + elements + "<RequestId>" + requestId + "</RequestId><HostId>" + hostId + "</HostId></Error>";
        byte[] body = req.method().equals("HEAD") ? new byte[0] : xml.getBytes(StandardCharsets.UTF_8);
        String headers = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + (code == null ? "" : "Content-Type: application/xml\r\n")
                + "Content-Length: " + body.length + "\r\n"
                + "x-amz-request-id: " + requestId + "\r\n"
                + "x-amz-id-2: " + hostId + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(headers.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        client.shutdownOutput();
        // Read what the client still sends (the body, unless it waits for 100-continue) until it closes,
        // so closing our side does not reset the connection before the client has read the error.
        client.setSoTimeout((int) DRAIN_TIMEOUT.toMillis());
        try {
            byte[] buf = new byte[16 * 1024];
            while (in.read(buf) >= 0) {
                // discard
            }
        } catch (IOException ignored) {
            // timeout or reset: the client has what it needs
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Reads up to and including the blank line ending the head; null on a clean close before any byte. */
    static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
        int state = 0; // how many bytes of \r\n\r\n seen
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed inside a request head");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new IOException("request head larger than " + MAX_HEAD + " bytes");
            }
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1, 3 -> b == '\n' ? state + 1 : (b == '\r' ? 1 : 0);
                default -> 0;
            };
            if (state == 4) {
                return head.toByteArray();
            }
        }
    }

    private static void copyFixed(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new EOFException("client closed with " + left + " body bytes missing");
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    /** Copies a chunked body verbatim (chunk lines, data, trailers), stopping after the last chunk's trailers. */
    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = copyLine(in, out);
            int semi = sizeLine.indexOf(';');
            String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size line: " + sizeLine);
            }
            if (size == 0) {
                while (!copyLine(in, out).isEmpty()) {
                    // trailer fields
                }
                return;
            }
            copyFixed(in, out, size);
            copyLine(in, out); // CRLF after the chunk data
        }
    }

    /** Copies one CRLF-terminated line and returns it without the line end. */
    private static String copyLine(InputStream in, OutputStream out) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a chunked body");
            }
            out.write(b);
            if (b == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            if (sb.length() > 8192) {
                throw new IOException("chunk line too long");
            }
            sb.append((char) b);
        }
    }

    private void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Stops accepting and closes every open connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        threads.shutdownNow();
    }
}

package io.photopipe.local.servers;

import io.photopipe.local.servers.internal.FaultProxy;
import io.photopipe.local.servers.internal.KeyEncodingBlobStore;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * An S3 server on the loopback interface: S3Proxy 4.x (which checks SigV4 signatures for real) over an in-memory
 * or a filesystem blob store, behind a small proxy that injects {@link S3Faults}. Start it, point any S3 client at
 * {@link #endpoint()} with {@link LocalCredentials} (path-style), close it.
 *
 * <p>Keys behave as in S3: the keys S3 refuses (over 1,024 bytes, not UTF-8, {@code ..} climbing out of the
 * bucket) are refused with S3's status and error code, and every other key, {@code uploads/../renditions/x},
 * {@code a//b} and {@code ./x} included, is stored literally as its own object.
 *
 * <pre>{@code
 * try (EmbeddedS3 s3 = EmbeddedS3.start()) {
 *     s3.createBucket("photos");
 *     s3.client().putObject(b -> b.bucket("photos").key("a.jpg"), RequestBody.fromBytes(bytes));
 *     s3.faults().failNext(2, S3Faults.Fault.slowDown());   // the next two requests get 503 SlowDown
 * }
 * }</pre>
 */
public final class EmbeddedS3 implements AutoCloseable {

    /**
     * CORS rules for browser uploads to the local bucket (S3Proxy answers preflights from them).
     *
     * @param allowedOrigins origins, e.g. {@code http://localhost:8080}, or {@code *}
     * @param allowedMethods methods, e.g. {@code GET}, {@code PUT}, {@code POST}, {@code HEAD}
     * @param allowedHeaders request headers the browser may send, or {@code *}
     * @param exposedHeaders response headers scripts may read, e.g. {@code ETag}
     */
    public record Cors(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                       List<String> exposedHeaders) {
        /** Copies the lists; every list is required (use an empty list for none). */
        public Cors {
            allowedOrigins = List.copyOf(Objects.requireNonNull(allowedOrigins, "allowedOrigins"));
            allowedMethods = List.copyOf(Objects.requireNonNull(allowedMethods, "allowedMethods"));
            allowedHeaders = List.copyOf(Objects.requireNonNull(allowedHeaders, "allowedHeaders"));
            exposedHeaders = List.copyOf(Objects.requireNonNull(exposedHeaders, "exposedHeaders"));
            if (allowedOrigins.isEmpty() || allowedMethods.isEmpty()) {
                throw new IllegalArgumentException("cors needs at least one allowed origin and one allowed method");
            }
        }

        /** Any origin, the methods a browser upload/download needs, any header, ETag exposed. */
        public static Cors allowAll() {
            return new Cors(List.of("*"), List.of("GET", "PUT", "POST", "HEAD"), List.of("*"), List.of("ETag"));
        }
    }

    /**
     * How to start the server.
     *
     * @param host               interface to bind, default {@code 127.0.0.1}
     * @param port               port to bind, 0 for a free one
     * @param dataDir            null for an in-memory store; otherwise a directory for a filesystem store whose
     *                           objects survive restarts (created if missing)
     * @param blobStoreDecorator wraps the blob store S3Proxy serves (e.g. a {@code ForwardingBlobStore} that emits
     *                           event notifications); identity by default
     * @param cors               CORS rules, or null for none
     * @param faults             the live fault switch this server uses (kept by reference)
     */
    public record Options(String host, int port, Path dataDir, UnaryOperator<BlobStore> blobStoreDecorator,
                          Cors cors, S3Faults faults) {
        /** Fills defaults and validates. */
        public Options {
            host = host == null || host.isBlank() ? "127.0.0.1" : host;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, was " + port);
            }
            blobStoreDecorator = blobStoreDecorator == null ? UnaryOperator.identity() : blobStoreDecorator;
            faults = faults == null ? new S3Faults() : faults;
        }

        /** 127.0.0.1, a free port, in memory, no decorator, no CORS, no faults. */
        public static Options defaults() {
            return builder().build();
        }

        /** A builder starting from the defaults. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builder for {@link Options}. */
        public static final class Builder {
            private String host = "127.0.0.1";
            private int port;
            private Path dataDir;
            private UnaryOperator<BlobStore> blobStoreDecorator = UnaryOperator.identity();
            private Cors cors;
            private S3Faults faults;

            private Builder() {
            }

            /** Interface to bind. */
            public Builder host(String value) {
                this.host = value;
                return this;
            }

            /** Port to bind, 0 for a free one. */
            public Builder port(int value) {
                this.port = value;
                return this;
            }

            /** Directory of a filesystem store (objects survive restarts); null for in memory. */
            public Builder dataDir(Path value) {
                this.dataDir = value;
                return this;
            }

            /** Wraps the blob store (applied once, around the real store). */
            public Builder blobStoreDecorator(UnaryOperator<BlobStore> value) {
                this.blobStoreDecorator = value;
                return this;
            }

            /** CORS rules, null for none. */
            public Builder cors(Cors value) {
                this.cors = value;
                return this;
            }

            /** The fault switch to use (e.g. {@code S3Faults.parse(System.getenv("PHOTOPIPE_S3_FAULTS"))}). */
            public Builder faults(S3Faults value) {
                this.faults = value;
                return this;
            }

            /**
             * The fault switch from a spec such as {@code "slowdown=0.1,drop=0.01"} (see {@link S3Faults#parse}).
             *
             * @throws IllegalArgumentException naming the bad part of the spec
             */
            public Builder faults(String spec) {
                this.faults = S3Faults.parse(spec);
                return this;
            }

            /** The options. */
            public Options build() {
                return new Options(host, port, dataDir, blobStoreDecorator, cors, faults);
            }
        }
    }

    private static final java.util.regex.Pattern BUCKET_NAME =
            java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final S3Proxy s3proxy;
    private final BlobStore store;
    private final FaultProxy front;
    private final URI endpoint;
    private final S3Faults faults;
    private final Options options;
    private volatile S3Client client;
    private volatile S3Presigner presigner;

    private EmbeddedS3(S3Proxy s3proxy, BlobStore store, FaultProxy front, URI endpoint, Options options) {
        this.s3proxy = s3proxy;
        this.store = store;
        this.front = front;
        this.endpoint = endpoint;
        this.faults = options.faults();
        this.options = options;
    }

    /** Starts on 127.0.0.1, a free port, in memory. */
    public static EmbeddedS3 start() {
        return start(Options.defaults());
    }

    /**
     * Starts with {@code options}.
     *
     * @throws IllegalStateException when the server cannot start (the message says why, e.g. the port is taken)
     */
    public static EmbeddedS3 start(Options options) {
        Objects.requireNonNull(options, "options");
        BlobStore base;
        if (options.dataDir() == null) {
            base = new TransientNio2BlobStore();
        } else {
            try {
                Files.createDirectories(options.dataDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create S3 data directory " + options.dataDir(), e);
            }
            KeyEncodingBlobStore.migrate(options.dataDir());
            base = new FilesystemNio2BlobStore(options.dataDir().toAbsolutePath().toString());
        }
        // Keys are stored literally, as S3 keeps them (S3Proxy's stores resolved "..", "." and "//" in keys).
        base = new KeyEncodingBlobStore(base);
        BlobStore store = Objects.requireNonNull(options.blobStoreDecorator().apply(base),
                "blobStoreDecorator returned null");
        S3Proxy.Builder builder = S3Proxy.builder()
                .blobStore(store)
                // S3Proxy itself always listens on a private loopback port; the fault proxy owns the public one.
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, LocalCredentials.ACCESS_KEY_ID,
                        LocalCredentials.SECRET_ACCESS_KEY);
        if (options.cors() != null) {
            Cors c = options.cors();
            builder.corsRules(new CrossOriginResourceSharing(c.allowedOrigins(), c.allowedMethods(),
                    c.allowedHeaders(), c.exposedHeaders(), ""));
        }
        S3Proxy s3proxy = builder.build();
        try {
            s3proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start: " + e.getMessage(), e);
        }
        FaultProxy front;
        try {
            front = FaultProxy.start(options.host(), options.port(),
                    new InetSocketAddress("127.0.0.1", s3proxy.getPort()), options.faults());
        } catch (IOException e) {
            stopQuietly(s3proxy);
            throw new IllegalStateException(e.getMessage(), e);
        }
        String host = isWildcard(options.host()) ? "127.0.0.1" : options.host();
        URI endpoint = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + front.port());
        return new EmbeddedS3(s3proxy, store, front, endpoint, options);
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /** The endpoint clients use, e.g. {@code http://127.0.0.1:9000}. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * S3Proxy's own endpoint behind the fault switch: requests sent here never meet an injected fault (for a
     * harness's own setup and checks, or to measure what the switch costs). Clients should use {@link #endpoint()}.
     */
    public URI directEndpoint() {
        return URI.create("http://127.0.0.1:" + s3proxy.getPort());
    }

    /** The port of {@link #endpoint()}. */
    public int port() {
        return front.port();
    }

    /** The options this server was started with. */
    public Options options() {
        return options;
    }

    /** The blob store S3Proxy serves (the decorated one), for tests that want to look underneath. */
    public BlobStore blobStore() {
        return store;
    }

    /**
     * A client builder already pointed at this server: endpoint, local credentials and region, path-style, the
     * Apache 5 HTTP client (it never retries by itself, so fault counts are exact). Add your own overrides, e.g.
     * {@code .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))}.
     */
    public S3ClientBuilder clientBuilder() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(LocalCredentials.REGION))
                .credentialsProvider(LocalCredentials.provider())
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder());
    }

    /** A shared client for this server (default retries); closed by {@link #close()}, do not close it yourself. */
    public S3Client client() {
        S3Client c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = clientBuilder().build();
                    client = c;
                }
            }
        }
        return c;
    }

    /** A shared presigner for this server (path-style); closed by {@link #close()}. */
    public S3Presigner presigner() {
        S3Presigner p = presigner;
        if (p == null) {
            synchronized (this) {
                p = presigner;
                if (p == null) {
                    p = S3Presigner.builder()
                            .endpointOverride(endpoint)
                            .region(Region.of(LocalCredentials.REGION))
                            .credentialsProvider(LocalCredentials.provider())
                            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                            .build();
                    presigner = p;
                }
            }
        }
        return p;
    }

    /**
     * Creates a bucket; does nothing when it exists. Goes around the fault switch (straight to the store), so
     * setting up a test never meets an injected fault.
     *
     * @throws IllegalArgumentException when {@code name} breaks
     *     <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html">S3's bucket naming
     *     rules</a> (S3Proxy would otherwise accept it here and answer 404 NoSuchBucket later)
     */
    public void createBucket(String name) {
        Objects.requireNonNull(name, "name");
        if (!BUCKET_NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("bucket name '" + name + "' is not valid in S3: use 3-63 lowercase "
                    + "letters, digits, dots and hyphens, starting and ending with a letter or digit");
        }
        try {
            if (!store.containerExists(name)) {
                store.createContainer(name);
            }
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException e) {
            // created concurrently: fine
        }
    }

    /** The live fault switch: change it at any time, it applies to the next request. */
    public S3Faults faults() {
        return faults;
    }

    /** Stops the server and closes the shared client and presigner. Objects of a filesystem store stay on disk. */
    @Override
    public void close() {
        S3Client c = client;
        if (c != null) {
            c.close();
        }
        S3Presigner p = presigner;
        if (p != null) {
            p.close();
        }
        front.close();
        stopQuietly(s3proxy);
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(EmbeddedS3.class).warn("S3Proxy stop failed", e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedS3[" + endpoint + (options.dataDir() == null ? ", in memory" : ", " + options.dataDir())
                + "]";
    }
}

package io.photopipe.producer;

import io.photopipe.core.PipelineSettings;
import io.photopipe.producer.internal.Json;
import io.photopipe.producer.internal.Progress;
import io.photopipe.producer.internal.Units;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code produce burst}: many concurrent uploads, with latency percentiles and throughput. */
@Command(name = "burst", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Upload N photos with C concurrent uploads, straight to S3 (multipart above a threshold) or "
                + "through the upload API's presigned URLs (--via-api), and report upload latency percentiles and "
                + "throughput. Each upload then flows through the pipeline like a user's."},
        footer = {"%nExamples:", "  produce burst --count 200 --concurrency 16 --sizes 1024x768,4000x3000",
                "  produce burst --from ../shared/photos --count 50",
                "  produce burst --via-api http://127.0.0.1:8080 --count 100"})
final class BurstCommand implements Callable<Integer> {
    @ParentCommand
    ProducerCli cli;
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;

    @Option(names = {"--count", "-n"}, paramLabel = "N", description = "Photos to upload (default: ${DEFAULT-VALUE}).")
    int count = 100;
    @Option(names = {"--concurrency", "-c"}, paramLabel = "C", description = "Uploads in flight (default: ${DEFAULT-VALUE}).")
    int concurrency = 8;
    @Option(names = "--from", paramLabel = "DIR", description = "Upload the photos of this folder (cycled to N).")
    Path from;
    @Option(names = "--sizes", split = ",", paramLabel = "WxH",
            description = "Generate JPEGs of these sizes (cycled; default: ${DEFAULT-VALUE}).")
    List<String> sizes = List.of("1024x768", "2048x1536", "4000x3000");
    @Option(names = "--bucket", description = "Bucket; default: the settings' bucket.")
    String bucket;
    @Option(names = "--prefix", description = "Key prefix; default: <input prefix>burst/<UTC time>/.")
    String prefix;
    @Option(names = "--multipart-threshold", paramLabel = "SIZE", converter = BackfillCommand.BytesConverter.class,
            description = "Upload in parts from this size on (default: 8MB).")
    long multipartThreshold = 8L << 20;
    @Option(names = "--part-size", paramLabel = "SIZE", converter = BackfillCommand.BytesConverter.class,
            description = "Part size (default: 8MB; at least 5MB on AWS).")
    long partSize = 8L << 20;
    @Option(names = "--via-api", paramLabel = "URL",
            description = "Upload through the photopipe upload API at URL (POST /uploads, then the presigned request).")
    URI viaApi;
    @Option(names = "--seed", description = "Seed of generated images (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Override
    public Integer call() throws Exception {
        PipelineSettings settings = common.settings();
        if (count < 1) {
            throw ProducerException.usage("--count " + count + " must be at least 1");
        }
        String keyPrefix = prefix != null ? prefix : settings.inputPrefix() + "burst/"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC)) + "/";
        List<Burst.Photo> photos = from != null ? Photos.fromFolder(from, count, keyPrefix)
                : Photos.generated(sizes.stream().map(Photos.Size::parse).toList(), count, keyPrefix, seed);
        Burst.Summary s;
        try (AwsClients aws = common.clients(cli, concurrency * 2)) {
            Burst.Uploader uploader;
            HttpClient http = null;
            if (viaApi != null) {
                http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                        .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
                uploader = Uploaders.api(http, viaApi);
            } else {
                String b = bucket != null ? bucket : settings.bucket();
                uploader = Uploaders.s3(aws.s3Async(multipartThreshold, partSize), b);
            }
            try (Progress p = Progress.bar(common.progress(), "burst", count, "photo")) {
                s = new Burst(uploader, concurrency).run(viaApi != null ? "api" : "s3", photos,
                        viaApi != null ? Long.MAX_VALUE : multipartThreshold, p);
            } finally {
                if (http != null) {
                    http.close();
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            out.println(Json.write(s));
        } else {
            out.printf(Locale.ROOT, "burst via %s: %d of %d photos uploaded (%s, %d multipart), %d failed, "
                            + "concurrency %d%n", s.method(), s.uploaded(), s.photos(), Units.bytes(s.bytes()),
                    s.multipart(), s.failed(), s.concurrency());
            out.printf(Locale.ROOT, "  %s: %.1f photos/s, %.1f MiB/s%n", Units.duration(s.elapsed()),
                    s.photosPerSecond(), s.mibPerSecond());
            Latencies l = s.latency();
            out.printf(Locale.ROOT, "  latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  mean %.1f%n", l.p50Ms(),
                    l.p90Ms(), l.p99Ms(), l.maxMs(), l.meanMs());
            out.println("  under " + keyPrefix);
            s.failures().forEach(f -> out.println("  FAILED " + f));
        }
        out.flush();
        return s.failed() > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
    }
}

package io.photopipe.worker.observe;

import io.micrometer.cloudwatch2.CloudWatchConfig;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.logging.LoggingMeterRegistry;
import io.micrometer.core.instrument.logging.LoggingRegistryConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photopipe.worker.WorkerConfig;
import java.time.Duration;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * The meter registry for a {@link WorkerConfig.MetricsMode}.
 *
 * <p>CloudWatch: Micrometer's step registry aggregates in memory and a background thread sends PutMetricData once per
 * step, so no invocation waits on a metrics call. In Lambda that thread only runs while the environment is not
 * frozen, so publishing happens during later invocations; a shutdown hook closes the registry, which publishes what
 * is left (Lambda runs shutdown hooks when the environment is shut down, given the time to).
 */
public final class MetricsRegistries {
    private MetricsRegistries() {
    }

    /** A registry, with a shutdown hook that flushes and closes it. */
    public static MeterRegistry create(WorkerConfig.Metrics metrics, String region) {
        MeterRegistry registry = switch (metrics.mode()) {
            case CLOUDWATCH -> cloudWatch(metrics, region);
            case LOG -> LoggingMeterRegistry.builder(new LoggingRegistryConfig() {
                        @Override
                        public String get(String key) {
                            return null;
                        }

                        @Override
                        public Duration step() {
                            return metrics.step();
                        }
                    })
                    .loggingSink(line -> System.err.println("[metrics] " + line))
                    .build();
            case NONE -> new SimpleMeterRegistry();
        };
        registry.config().commonTags("function", metrics.functionName());
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("photopipe-metrics-flush").unstarted(
                registry::close));
        return registry;
    }

    private static MeterRegistry cloudWatch(WorkerConfig.Metrics metrics, String region) {
        CloudWatchConfig config = new CloudWatchConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String namespace() {
                return metrics.namespace();
            }

            @Override
            public Duration step() {
                return metrics.step();
            }
        };
        CloudWatchAsyncClient client = CloudWatchAsyncClient.builder()
                .region(Region.of(region))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build();
        return new CloudWatchMeterRegistry(config, Clock.SYSTEM, client);
    }
}

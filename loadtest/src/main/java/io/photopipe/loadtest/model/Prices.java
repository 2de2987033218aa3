package io.photopipe.loadtest.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.core.SettingsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The AWS prices the cost model uses, in USD, with where and when they were read. The shipped file holds us-east-1
 * on-demand list prices (first tier, free tiers ignored); {@code --prices FILE} replaces it with the same shape.
 *
 * @param region                    the region the prices are for
 * @param asOf                      when they were read from the pricing pages (e.g. 2025-11)
 * @param sources                   the pricing pages
 * @param note                      caveats shown in the report
 * @param lambdaGbSecondArm64       Lambda duration, per GB-second, arm64 (Graviton)
 * @param lambdaGbSecondX86         Lambda duration, per GB-second, x86_64
 * @param lambdaRequestsPerMillion  Lambda requests (invocations)
 * @param sqsRequestsPerMillion     SQS standard queue requests (each 64 KB chunk of a payload is one request)
 * @param s3PutPerThousand          S3 Standard PUT, COPY, POST, LIST
 * @param s3GetPerThousand          S3 Standard GET, HEAD and all other requests
 * @param httpApiRequestsPerMillion API Gateway HTTP API requests
 */
public record Prices(String region, String asOf, List<String> sources, String note, double lambdaGbSecondArm64,
                     double lambdaGbSecondX86, double lambdaRequestsPerMillion, double sqsRequestsPerMillion,
                     double s3PutPerThousand, double s3GetPerThousand, double httpApiRequestsPerMillion) {

    private static final String DEFAULT = "/io/photopipe/loadtest/aws-prices-us-east-1.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Prices {
        require(region != null && !region.isBlank(), "prices.region", "is required");
        require(asOf != null && !asOf.isBlank(), "prices.asOf",
                "is required (when the prices were read, e.g. 2025-11)");
        sources = sources == null ? List.of() : List.copyOf(sources);
        note = note == null ? "" : note;
        nonNegative("prices.lambdaGbSecondArm64", lambdaGbSecondArm64);
        nonNegative("prices.lambdaGbSecondX86", lambdaGbSecondX86);
        nonNegative("prices.lambdaRequestsPerMillion", lambdaRequestsPerMillion);
        nonNegative("prices.sqsRequestsPerMillion", sqsRequestsPerMillion);
        nonNegative("prices.s3PutPerThousand", s3PutPerThousand);
        nonNegative("prices.s3GetPerThousand", s3GetPerThousand);
        nonNegative("prices.httpApiRequestsPerMillion", httpApiRequestsPerMillion);
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new SettingsException(field, message);
        }
    }

    private static void nonNegative(String field, double v) {
        require(v >= 0 && Double.isFinite(v), field, v + " must be a price of 0 or more (USD)");
    }

    /** The shipped us-east-1 prices. */
    public static Prices defaults() {
        try (InputStream in = Prices.class.getResourceAsStream(DEFAULT)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT + " is missing from the classpath");
            }
            return JSON.readValue(in, Prices.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULT + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a prices file (the shipped file's shape).
     *
     * @throws SettingsException naming the file and what is wrong
     */
    public static Prices load(Path file) {
        try {
            return JSON.readValue(Files.readString(file), Prices.class);
        } catch (SettingsException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SettingsException(file.toString(), "is not a prices file (" + e.getMessage()
                    + "); copy loadtest/src/main/resources" + DEFAULT + " and edit it", e);
        }
    }

    /** Duration price per GB-second for an architecture ({@code arm64} or {@code x86_64}). */
    public double gbSecond(String architecture) {
        return "x86_64".equals(architecture) ? lambdaGbSecondX86 : lambdaGbSecondArm64;
    }
}

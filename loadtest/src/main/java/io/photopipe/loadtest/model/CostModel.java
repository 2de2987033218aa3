package io.photopipe.loadtest.model;

import java.util.List;

/**
 * Projects what a million photos cost on AWS from what a run used ({@link Usage}) and a price list
 * ({@link Prices}): usage per photo times a million times the unit price, line by line. Linear on purpose: Lambda,
 * SQS, S3 requests and API Gateway are billed per use, so the cost per photo does not depend on how fast a backlog
 * drains or how far the event source mapping scales (the scaling model answers "how long", this answers "how much").
 */
public final class CostModel {
    private CostModel() {
    }

    /**
     * One line of the bill.
     *
     * @param item             what is billed
     * @param perPhoto         units per photo
     * @param unit             the unit of {@code perPhoto}
     * @param unitPrice        USD per unit
     * @param usdPerMillion    USD per million photos
     */
    public record Line(String item, double perPhoto, String unit, double unitPrice, double usdPerMillion) {
    }

    /**
     * A projected bill.
     *
     * @param lines  the lines
     * @param prices the prices used
     */
    public record Bill(List<Line> lines, Prices prices) {
        public Bill {
            lines = List.copyOf(lines);
        }

        /** USD per million photos, all lines. */
        public double usdPerMillion() {
            return lines.stream().mapToDouble(Line::usdPerMillion).sum();
        }

        /** USD for {@code photos} photos. */
        public double usdFor(double photos) {
            return usdPerMillion() * photos / 1_000_000.0;
        }
    }

    /** The bill per million photos. */
    public static Bill perMillion(Usage u, Prices p) {
        double n = u.photos();
        double gbs = u.gbSeconds() / n;
        double gbPrice = p.gbSecond(u.architecture());
        return new Bill(List.of(
                line("Lambda duration (" + u.memoryMb() + " MB, " + u.architecture() + ")", gbs, "GB-s", gbPrice),
                line("Lambda requests", u.invocations() / n, "requests", p.lambdaRequestsPerMillion() / 1e6),
                line("SQS requests", u.sqsRequests() / n, "requests", p.sqsRequestsPerMillion() / 1e6),
                line("S3 PUT requests", u.s3Puts() / n, "requests", p.s3PutPerThousand() / 1e3),
                line("S3 GET requests", u.s3Gets() / n, "requests", p.s3GetPerThousand() / 1e3),
                line("API Gateway HTTP API requests", u.apiRequests() / n, "requests",
                        p.httpApiRequestsPerMillion() / 1e6)), p);
    }

    private static Line line(String item, double perPhoto, String unit, double unitPrice) {
        return new Line(item, perPhoto, unit, unitPrice, perPhoto * 1_000_000.0 * unitPrice);
    }
}

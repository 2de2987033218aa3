package io.photopipe.loadtest.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.photopipe.core.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostModelTest {
    private static final Prices PRICES = new Prices("us-east-1", "2025-11", List.of(), "", 0.0000133334,
            0.0000166667, 0.20, 0.40, 0.005, 0.0004, 1.00);

    @Test
    void aMillionPhotosLineByLine() {
        // 1,000 photos, 100 invocations, 500 s invoking + 20 s init at 2048 MB arm64
        Usage u = new Usage(1000, 100, 500, 20, 2048, "arm64", 3000, 9000, 5000, 2000);
        CostModel.Bill bill = CostModel.perMillion(u, PRICES);
        // duration: 520 s * 2 GB / 1000 photos = 1.04 GB-s per photo -> 1.04e6 GB-s per million
        assertThat(bill.lines().get(0).perPhoto()).isCloseTo(1.04, within(1e-12));
        assertThat(bill.lines().get(0).usdPerMillion()).isCloseTo(1.04e6 * 0.0000133334, within(1e-6));
        assertThat(bill.lines().get(1).usdPerMillion()).isCloseTo(100_000 * 0.20 / 1e6, within(1e-9));
        assertThat(bill.lines().get(2).usdPerMillion()).isCloseTo(3_000_000 * 0.40 / 1e6, within(1e-9));
        assertThat(bill.lines().get(3).usdPerMillion()).isCloseTo(9_000_000 * 0.005 / 1e3, within(1e-9));
        assertThat(bill.lines().get(4).usdPerMillion()).isCloseTo(5_000_000 * 0.0004 / 1e3, within(1e-9));
        assertThat(bill.lines().get(5).usdPerMillion()).isCloseTo(2_000_000 * 1.00 / 1e6, within(1e-9));
        assertThat(bill.usdPerMillion()).isCloseTo(13.8667 + 0.02 + 1.2 + 45 + 2 + 2, within(1e-3));
        assertThat(bill.usdFor(10_000_000)).isCloseTo(bill.usdPerMillion() * 10, within(1e-9));
    }

    @Test
    void x86CostsMoreThanArmForTheSameDuration() {
        Usage arm = new Usage(10, 1, 10, 0, 1024, "arm64", 0, 0, 0, 0);
        Usage x86 = new Usage(10, 1, 10, 0, 1024, "x86_64", 0, 0, 0, 0);
        assertThat(CostModel.perMillion(x86, PRICES).usdPerMillion())
                .isGreaterThan(CostModel.perMillion(arm, PRICES).usdPerMillion());
    }

    @Test
    void requestsFollowThePipelinesPath() {
        // 8 rendered, 2 rejected, all uploaded through the API, 2 batches, 7 renditions each
        Usage u = Usage.fromRun(new Usage.RunCounts(8, 2, 10, 0, 2, 2, 4.0, 1.0, 7), 2048, "arm64");
        assertThat(u.photos()).isEqualTo(10);
        assertThat(u.s3Puts()).isEqualTo(10 * 2 + 8 * 8 + 2);       // upload + ticket; 7 renditions + status; status
        assertThat(u.s3Gets()).isEqualTo(10 * 2 + 10 * 3);          // worker: status + original; API lookup: 3
        assertThat(u.sqsRequests()).isEqualTo(10 + 0 + 2 * 2 + 10 + 2); // notification, receive+delete, result, DLQ
        assertThat(u.apiRequests()).isEqualTo(20);
        assertThat(u.billedSeconds()).isEqualTo(5.0);
    }

    @Test
    void backfilledPhotosSendATenthOfABatchEach() {
        Usage u = Usage.fromRun(new Usage.RunCounts(100, 0, 0, 100, 10, 10, 50, 0, 1), 1024, "arm64");
        assertThat(u.sqsRequests()).isEqualTo(10 + 2 * 10 + 100);
        assertThat(u.apiRequests()).isZero();
    }

    @Test
    void theShippedPricesSayWhereAndWhen() {
        Prices p = Prices.defaults();
        assertThat(p.region()).isEqualTo("us-east-1");
        assertThat(p.asOf()).isNotBlank();
        assertThat(p.sources()).isNotEmpty();
        assertThat(p.gbSecond("arm64")).isLessThan(p.gbSecond("x86_64"));
    }

    @Test
    void aPricesFileReplacesThemAndABadOneNamesTheField(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("prices.json");
        Files.writeString(good, """
                {"region": "eu-west-1", "asOf": "2026-01", "sources": [], "note": "",
                 "lambdaGbSecondArm64": 0.0000133334, "lambdaGbSecondX86": 0.0000166667,
                 "lambdaRequestsPerMillion": 0.2, "sqsRequestsPerMillion": 0.4, "s3PutPerThousand": 0.005,
                 "s3GetPerThousand": 0.0004, "httpApiRequestsPerMillion": 1.0}""");
        assertThat(Prices.load(good).region()).isEqualTo("eu-west-1");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(good).replace("\"s3PutPerThousand\": 0.005",
                "\"s3PutPerThousand\": -1"));
        assertThatThrownBy(() -> Prices.load(bad)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("s3PutPerThousand");
    }
}

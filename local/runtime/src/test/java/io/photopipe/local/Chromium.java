package io.photopipe.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium} and {@code chromium-driver} driven by Selenium, headless and offline: never downloads a
 * browser or a driver (the paths are given, so Selenium Manager has nothing to resolve).
 */
public final class Chromium {
    private static final String BROWSER = "/usr/bin/chromium";
    private static final String DRIVER = "/usr/bin/chromedriver";

    private Chromium() {
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(browser().isPresent() && driver().isPresent(),
                "skipped: no Chromium to drive. Install Debian's chromium and chromium-driver (.ci/run does: "
                        + "apt-get install chromium chromium-driver) or set PHOTOPIPE_CHROMIUM and "
                        + "PHOTOPIPE_CHROMEDRIVER to their paths");
    }

    public static ChromeDriver start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser().orElseThrow().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1200,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver().orElseThrow().toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1200, 900));
        return driver;
    }

    private static Optional<Path> browser() {
        return find("PHOTOPIPE_CHROMIUM", BROWSER, "chromium", "chromium-browser");
    }

    private static Optional<Path> driver() {
        return find("PHOTOPIPE_CHROMEDRIVER", DRIVER, "chromedriver");
    }

    private static Optional<Path> find(String variable, String usual, String... onPath) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        Stream<Path> candidates = Stream.concat(Stream.of(Path.of(usual)),
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .filter(dir -> !dir.isEmpty())
                        .flatMap(dir -> Stream.of(onPath).map(name -> Path.of(dir, name))));
        return candidates.filter(Files::isExecutable).findFirst();
    }
}

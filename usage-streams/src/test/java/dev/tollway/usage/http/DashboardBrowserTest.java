package dev.tollway.usage.http;

import static dev.tollway.usage.testing.Events.event;
import static dev.tollway.usage.testing.Prices.budget;
import static dev.tollway.usage.testing.Prices.price;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.tollway.schemas.budget.Budget.SubjectType;
import dev.tollway.schemas.budget.Budget.Unit;
import dev.tollway.schemas.budget.Budget.Window;
import dev.tollway.usage.cost.CostObserver;
import dev.tollway.usage.testing.DriverStores;
import dev.tollway.usage.testing.UsageDriver;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in headless Chromium (Debian's {@code chromium} and {@code chromedriver}), over data the
 * production topology computed: the page loads, the charts draw, the tables fill, nothing is logged as an
 * error in the browser console. The screenshot is kept in {@code target/dashboard/dashboard.png}.
 *
 * <p>Without Chromium the test fails under CI ({@code CI} set; {@code .ci/run} installs it) and is skipped,
 * saying why, elsewhere. {@code CHROMIUM} and {@code CHROMEDRIVER} point at other binaries.
 */
class DashboardBrowserTest {

  private static final Path SCREENSHOT = Path.of("target", "dashboard", "dashboard.png");
  private static final List<String> CHARTS = List.of("spend-by-team", "tokens-by-model", "spend-by-model");

  @TempDir Path stateDir;
  @TempDir Path profile;

  private UsageDriver driver;
  private UsageHttpServer server;
  private WebDriver browser;

  @BeforeEach
  void start() {
    File chromium = binary("CHROMIUM", "/usr/bin/chromium");
    File chromedriver = binary("CHROMEDRIVER", "/usr/bin/chromedriver");
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    driver = new UsageDriver(stateDir, Map.of(), CostObserver.none(), now);
    fill(now);
    server =
        new UsageHttpServer(
            "127.0.0.1",
            0,
            UsageApi.handler(new DriverStores(driver), ZoneId.of("UTC"), () -> true, () -> true, Clock.systemUTC()));
    server.start();
    browser = chromium(chromium, chromedriver);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void shouldShowSpendTokensTopKeysAndBlockedSubjectsWithoutConsoleErrors() throws Exception {
    // When
    browser.get("http://127.0.0.1:" + server.port() + "/");
    await().atMost(Duration.ofSeconds(30)).until(() -> !"loading".equals(state()));
    Files.createDirectories(SCREENSHOT.getParent());
    Files.write(SCREENSHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

    // Then the page read the API
    assertThat(state()).as(text("banner")).isEqualTo("ready");
    assertThat(text("kpi-spend")).startsWith("$").isNotEqualTo("$0");
    assertThat(text("kpi-requests")).isEqualTo("13");
    assertThat(text("kpi-unpriced")).isEqualTo("1");
    assertThat(text("kpi-blocked")).isEqualTo("1");

    // and every chart drew on its canvas
    for (String chart : CHARTS) {
      assertThat(paintedPixels(chart)).as("painted pixels of %s", chart).isGreaterThan(2_000L);
      assertThat(datasets(chart)).as("datasets of %s", chart).isPositive();
    }

    // and the tables list the biggest key first and the blocked team
    List<String> keys =
        browser.findElements(By.cssSelector("#top-keys tbody tr td:first-child")).stream()
            .map(cell -> cell.getText())
            .toList();
    assertThat(keys).hasSize(3);
    assertThat(keys.get(0)).startsWith("checkout");
    assertThat(browser.findElement(By.cssSelector("#blocked tbody")).getText())
        .contains("payments")
        .contains("default/payments-hourly");

    // and nothing went wrong in the browser
    List<String> errors =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .toList();
    assertThat(errors).isEmpty();
  }

  /**
   * Twelve days of three teams on three models, one request of a model without a price, and a team over its
   * rolling hourly budget (rolling, so that the test does not depend on the time of day).
   */
  private void fill(Instant now) {
    driver.price(
        price("openai", "gpt-4o-mini", 150_000_000L, 600_000_000L, 75_000_000L, null, null),
        price("anthropic", "claude-sonnet-4", 3_000_000_000L, 15_000_000_000L, 300_000_000L, 3_750_000_000L, null),
        price("openai", "gpt-4o", 2_500_000_000L, 10_000_000_000L, 1_250_000_000L, null, null));
    driver.budget(
        budget("default/payments-hourly", SubjectType.team, "payments", Window.hour, "UTC", 50_000_000L, Unit.nanoUsd));
    int id = 0;
    for (int daysAgo = 11; daysAgo >= 0; daysAgo -= 1) {
      Instant at = now.minus(Duration.ofDays(daysAgo)).minusSeconds(60);
      if (daysAgo % 4 == 0) {
        driver.pipe(
            event("e" + id++, at.toString())
                .provider("anthropic")
                .model("claude-sonnet-4-20250514")
                .caller("k-checkout", "checkout", "payments")
                .tokens(40_000 + 1_000L * daysAgo, 2_000)
                .cache(20_000, 0)
                .build());
      } else if (daysAgo % 4 == 1) {
        driver.pipe(
            event("e" + id++, at.toString())
                .model("gpt-4o")
                .caller("k-search", "search", "growth")
                .tokens(8_000, 1_500)
                .build());
      } else {
        driver.pipe(
            event("e" + id++, at.toString())
                .model("gpt-4o-mini")
                .caller("k-support", "support-bot", "support")
                .tokens(30_000, 4_000)
                .build());
      }
    }
    driver.pipe(
        event("e" + id, now.minusSeconds(30).toString())
            .model("my-finetune")
            .caller("k-support", "support-bot", "support")
            .tokens(1_000, 100)
            .build());
  }

  private String state() {
    return (String) ((JavascriptExecutor) browser).executeScript("return document.body.dataset.state;");
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private long paintedPixels(String canvasId) {
    Object painted =
        ((JavascriptExecutor) browser)
            .executeScript(
                "const c = document.getElementById(arguments[0]);"
                    + "const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "let n = 0; for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) n++; } return n;",
                canvasId);
    return ((Number) painted).longValue();
  }

  private long datasets(String canvasId) {
    Object count =
        ((JavascriptExecutor) browser)
            .executeScript(
                "const chart = Chart.getChart(arguments[0]);"
                    + "return chart ? chart.data.datasets.reduce((n, d) => n + d.data.filter(v => v > 0).length, 0) : 0;",
                canvasId);
    return ((Number) count).longValue();
  }

  private WebDriver chromium(File chromium, File chromedriver) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1500",
        "--user-data-dir=" + profile.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static File binary(String variable, String fallback) {
    String configured = System.getenv(variable);
    File file = new File(configured == null || configured.isBlank() ? fallback : configured);
    if (!file.canExecute()) {
      String message =
          "the dashboard test needs Chromium and its driver: " + file + " is missing (apt-get install chromium"
              + " chromium-driver, as .ci/run does; or set " + variable + ")";
      if (System.getenv("CI") != null) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return file;
  }
}

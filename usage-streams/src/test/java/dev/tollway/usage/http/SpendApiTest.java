package dev.tollway.usage.http;

import static dev.tollway.usage.testing.Events.event;
import static dev.tollway.usage.testing.Prices.budget;
import static dev.tollway.usage.testing.Prices.price;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.schemas.budget.Budget.SubjectType;
import dev.tollway.schemas.budget.Budget.Unit;
import dev.tollway.schemas.budget.Budget.Window;
import dev.tollway.schemas.serde.Json;
import dev.tollway.usage.cost.CostObserver;
import dev.tollway.usage.testing.DriverStores;
import dev.tollway.usage.testing.Events;
import dev.tollway.usage.testing.UsageDriver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /v1/spend}, {@code /v1/spend.csv}, {@code /v1/quotas} and the dashboard's files, over the stores the production topology filled. */
class SpendApiTest {

  private static final Instant NOW = Instant.parse("2026-11-26T12:30:20Z");

  @TempDir Path stateDir;

  private final HttpClient client = HttpClient.newHttpClient();
  private UsageDriver driver;
  private DriverStores stores;
  private UsageHttpServer server;

  @AfterEach
  void stop() {
    server.close();
    driver.close();
  }

  @Test
  void shouldSumSpendPerKeyWithIdNameAndExactDollars() throws Exception {
    // Given two keys; gpt-4o-mini at $1 / $2 per million tokens
    start("UTC");
    driver.pipe(
        event("a2", "2026-11-25T09:00:00Z").caller("k-a", "checkout", "payments").tokens(0, 500_000).build(),
        event("a1", "2026-11-26T09:00:00Z").caller("k-a", "checkout", "payments").tokens(1_000_000, 0).build(),
        event("b1", "2026-11-26T10:00:00Z").caller("k-b", "search", "growth").tokens(3, 1).build());

    // When
    JsonNode body = getOk("/v1/spend?groupBy=key");

    // Then one row per key, most spent first, with exact nine-decimal dollars
    assertThat(body.get("groupBy").asText()).isEqualTo("key");
    assertThat(body.get("timeZone").asText()).isEqualTo("UTC");
    assertThat(body.get("from").asText()).isEqualTo("2026-10-27T12:30:20Z");
    assertThat(body.get("to").asText()).isEqualTo(NOW.toString());
    JsonNode rows = body.get("rows");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).get("apiKeyId").asText()).isEqualTo("k-a");
    assertThat(rows.get(0).get("apiKeyName").asText()).isEqualTo("checkout");
    assertThat(rows.get(0).get("requests").asLong()).isEqualTo(2);
    assertThat(rows.get(0).get("inputTokens").asLong()).isEqualTo(1_000_000);
    assertThat(rows.get(0).get("outputTokens").asLong()).isEqualTo(500_000);
    assertThat(rows.get(0).get("costUsd").asText()).isEqualTo("2.000000000");
    assertThat(rows.get(0).get("costNanoUsd").asLong()).isEqualTo(2_000_000_000L);
    assertThat(rows.get(1).get("apiKeyName").asText()).isEqualTo("search");
    assertThat(rows.get(1).get("costUsd").asText()).isEqualTo("0.000005000");
    assertThat(body.at("/total/costUsd").asText()).isEqualTo("2.000005000");
    assertThat(body.at("/total/requests").asLong()).isEqualTo(3);
  }

  @ParameterizedTest
  @CsvSource({
    "team, payments, growth",
    "model, gpt-4o-mini, gpt-4o",
    "provider, openai, anthropic",
    "route, default/llm-route#0, default/other#0"
  })
  void shouldGroupByEachDimensionNamingTheField(String groupBy, String bigger, String smaller) throws Exception {
    // Given a big request in one group and a small one in another
    start("UTC");
    driver.price(price("openai", "gpt-4o", 1_000_000_000L, 2_000_000_000L, null, null, null));
    driver.price(price("anthropic", "gpt-4o-mini", 1_000_000_000L, 2_000_000_000L, null, null, null));
    driver.pipe(
        event("big", "2026-11-26T09:00:00Z").caller("k", "k", "payments").tokens(10_000, 0).build(),
        withGroup(event("small", "2026-11-26T09:00:01Z").caller("k", "k", "growth").tokens(10, 0), groupBy, smaller)
            .build());

    // When
    JsonNode body = getOk("/v1/spend?groupBy=" + groupBy);

    // Then
    assertThat(groups(body, groupBy)).containsExactly(bigger, smaller);
  }

  @Test
  void shouldWriteCostsAsExactDecimalStrings() throws Exception {
    // Given a rate of $12,345.678901 per million tokens and 1,000 tokens
    start("UTC");
    driver.price(price("openai", "pricey", 12_345_678_901_000L, 0, null, null, null));
    driver.pipe(event("e1", "2026-11-26T09:00:00Z").model("pricey").tokens(1_000, 0).build());

    // When
    JsonNode body = getOk("/v1/spend?groupBy=model");

    // Then $12.345678901, digit for digit
    assertThat(body.at("/rows/0/costUsd").asText()).isEqualTo("12.345678901");
  }

  @Test
  void shouldFlagUnpricedRequestsInTheRows() throws Exception {
    // Given
    start("UTC");
    driver.pipe(event("e1", "2026-11-26T09:00:00Z").model("mystery").tokens(100, 100).build());

    // When
    JsonNode row = getOk("/v1/spend?groupBy=model").at("/rows/0");

    // Then
    assertThat(row.get("model").asText()).isEqualTo("mystery");
    assertThat(row.get("unpricedRequests").asLong()).isEqualTo(1);
    assertThat(row.get("costUsd").asText()).isEqualTo("0.000000000");
    assertThat(row.get("totalTokens").asLong()).isEqualTo(200);
  }

  @Test
  void shouldSplitRowsPerDayAndTakeDatesInTheServiceTimeZone() throws Exception {
    // Given days in Paris; requests at 23:30 and 00:30 Paris time, and one on the 24th
    start("Europe/Paris");
    driver.pipe(
        event("e1", "2026-11-25T22:30:00Z").caller("k", "k", "payments").tokens(1_000, 0).build(),
        event("e2", "2026-11-25T23:30:00Z").caller("k", "k", "payments").tokens(2_000, 0).build(),
        event("e3", "2026-11-24T10:00:00Z").caller("k", "k", "payments").tokens(4_000, 0).build());

    // When asking for the 25th and 26th (Paris dates), per day
    JsonNode body = getOk("/v1/spend?groupBy=team&interval=day&from=2026-11-25&to=2026-11-27");

    // Then from is Paris midnight, and one row per day
    assertThat(body.get("from").asText()).isEqualTo("2026-11-24T23:00:00Z");
    assertThat(body.get("interval").asText()).isEqualTo("day");
    List<String> days = new ArrayList<>();
    body.get("rows").forEach(row -> days.add(row.get("day").asText() + "=" + row.get("inputTokens").asLong()));
    assertThat(days).containsExactly("2026-11-25=1000", "2026-11-26=2000");
  }

  @Test
  void shouldAnswerCsvWithAHeaderRowQuotingFieldsAsRfc4180() throws Exception {
    // Given a key whose name needs quoting
    start("UTC");
    driver.pipe(
        event("e1", "2026-11-26T09:00:00Z").caller("k-1", "ops, \"night\" shift", "payments").tokens(1_000, 0).build());

    // When
    HttpResponse<String> response = get("/v1/spend.csv?groupBy=key");

    // Then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8; header=present");
    assertThat(response.headers().firstValue("content-disposition"))
        .hasValue("attachment; filename=\"spend-by-key.csv\"");
    assertThat(response.body())
        .isEqualTo(
            "apiKeyId,apiKeyName,requests,errors,inputTokens,cacheReadInputTokens,cacheCreationInputTokens,"
                + "outputTokens,reasoningTokens,totalTokens,costUsd,unpricedRequests,estimatedRequests\r\n"
                + "k-1,\"ops, \"\"night\"\" shift\",1,0,1000,0,0,0,0,1000,0.001000000,0,0\r\n");
  }

  @Test
  void shouldListEveryBlockedSubjectWithUsedLimitAndUntil() throws Exception {
    // Given the payments team over its daily budget of $0.01
    start("UTC");
    driver.budget(budget("default/payments-daily", SubjectType.team, "payments", Window.day, "UTC", 10_000_000L, Unit.nanoUsd));
    driver.pipe(event("e1", "2026-11-26T12:00:01Z").caller("k", "k", "payments").tokens(10_000, 5_000).build());

    // When
    JsonNode quotas = getOk("/v1/quotas").get("quotas");

    // Then
    assertThat(quotas).hasSize(1);
    JsonNode quota = quotas.get(0);
    assertThat(quota.get("subjectType").asText()).isEqualTo("team");
    assertThat(quota.get("subject").asText()).isEqualTo("payments");
    assertThat(quota.get("budget").asText()).isEqualTo("default/payments-daily");
    assertThat(quota.get("window").asText()).isEqualTo("day");
    assertThat(quota.get("used").asLong()).isEqualTo(20_000_000L);
    assertThat(quota.get("limit").asLong()).isEqualTo(10_000_000L);
    assertThat(quota.get("unit").asText()).isEqualTo("nanoUsd");
    assertThat(quota.get("usedUsd").asText()).isEqualTo("0.020000000");
    assertThat(quota.get("limitUsd").asText()).isEqualTo("0.010000000");
    assertThat(quota.get("until").asText()).isEqualTo("2026-11-27T00:00:00Z");
  }

  @Test
  void shouldAnswerAnEmptyListWhenNobodyIsBlocked() throws Exception {
    start("UTC");

    assertThat(getOk("/v1/quotas").get("quotas")).isEmpty();
    assertThat(getOk("/v1/spend").get("rows")).isEmpty();
  }

  @Test
  void shouldRejectBadParametersNamingThem() throws Exception {
    // Given
    start("UTC");

    // When / Then
    assertThat(error("/v1/spend?groupBy=backend"))
        .isEqualTo("groupBy: 'backend' (expected one of key, team, model, provider, route)");
    assertThat(error("/v1/spend.csv?interval=hour")).isEqualTo("interval: 'hour' (expected day, or no interval)");
    assertThat(error("/v1/spend?from=last-week"))
        .isEqualTo(
            "from: 'last-week' (expected an ISO-8601 instant such as 2026-11-26T17:00:00Z or a date such as 2026-11-26)");
    assertThat(error("/v1/spend?from=2026-11-27&to=2026-11-26"))
        .isEqualTo("from: 2026-11-27T00:00:00Z is after to: 2026-11-26T00:00:00Z (expected from to be at or before to)");
    assertThat(error("/v1/spend?to=2026-02-30")).startsWith("to: '2026-02-30' (expected");
  }

  @Test
  void shouldAnswer503WhileTheStoresCannotBeRead() throws Exception {
    // Given
    start("UTC");
    stores.readable(false);

    // When / Then
    for (String path : List.of("/v1/spend", "/v1/spend.csv", "/v1/quotas")) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(503);
      assertThat(Json.mapper().readTree(response.body()).at("/error/code").asText()).isEqualTo("not_ready");
    }
  }

  @Test
  void shouldServeTheDashboardAndChartJsFromTheJar() throws Exception {
    // Given
    start("UTC");

    // When
    HttpResponse<String> page = get("/");
    HttpResponse<String> script = get("/dashboard.js");
    HttpResponse<String> chartJs = get("/vendor/chart.umd.min.js");
    HttpResponse<String> other = get("/vendor/other.js");

    // Then
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<canvas id=\"spend-by-team\"").contains("vendor/chart.umd.min.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).contains("v1/quotas");
    assertThat(chartJs.statusCode()).isEqualTo(200);
    assertThat(chartJs.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
    assertThat(chartJs.body()).contains("Chart.js v4.");
    assertThat(other.statusCode()).isEqualTo(404);
  }

  private void start(String zone) {
    driver = new UsageDriver(stateDir, Map.of("TOLLWAY_USAGE_TIME_ZONE", zone), CostObserver.none());
    driver.price(price("openai", "gpt-4o-mini", 1_000_000_000L, 2_000_000_000L, null, null, null));
    stores = new DriverStores(driver);
    server =
        new UsageHttpServer(
            "127.0.0.1",
            0,
            UsageApi.handler(stores, ZoneId.of(zone), () -> true, () -> true, Clock.fixed(NOW, ZoneOffset.UTC)));
    server.start();
  }

  private static Events.Builder withGroup(Events.Builder builder, String groupBy, String value) {
    return switch (groupBy) {
      case "team" -> builder;
      case "model" -> builder.model(value);
      case "provider" -> builder.provider(value);
      case "route" -> builder.route(value);
      default -> throw new IllegalArgumentException(groupBy);
    };
  }

  private JsonNode getOk(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response = get(pathAndQuery);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.mapper().readTree(response.body());
  }

  private String error(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response = get(pathAndQuery);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    return Json.mapper().readTree(response.body()).at("/error/message").asText();
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> groups(JsonNode body, String field) {
    List<String> groups = new ArrayList<>();
    body.get("rows").forEach(row -> groups.add(row.get(field).asText()));
    return groups;
  }
}

package dev.tollway.usage.http;

import static dev.tollway.usage.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.schemas.serde.Json;
import dev.tollway.usage.testing.DriverStores;
import dev.tollway.usage.testing.UsageDriver;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP API against the window store that the production topology filled in a test driver. */
class UsageApiTest {

  /** "Now" for every request: the last hour is [11:30:20, 12:30:20). */
  private static final Instant NOW = Instant.parse("2026-11-26T12:30:20Z");

  @TempDir Path stateDir;

  private DriverStores stores;
  private final AtomicBoolean live = new AtomicBoolean(true);
  private final AtomicBoolean ready = new AtomicBoolean(true);
  private final HttpClient client = HttpClient.newHttpClient();
  private UsageDriver driver;
  private UsageHttpServer server;

  @BeforeEach
  void start() {
    driver = new UsageDriver(stateDir);
    stores = new DriverStores(driver);
    server =
        new UsageHttpServer(
            "127.0.0.1",
            0,
            UsageApi.handler(stores, ZoneOffset.UTC, live::get, ready::get, Clock.fixed(NOW, ZoneOffset.UTC)));
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    driver.close();
  }

  @Test
  void shouldSumTheLastHourPerModelByDefault() throws Exception {
    // Given usage before and within the last hour
    driver.pipe(
        event("old", "2026-11-26T11:29:10Z").model("gpt-4o").tokens(1000, 1000).build(),
        event("a1", "2026-11-26T11:30:05Z").model("gpt-4o").tokens(100, 10).cache(40, 2).reasoning(3).build(),
        event("b1", "2026-11-26T12:10:00Z").model("claude").tokens(20, 2).build(),
        event("a2", "2026-11-26T12:30:01Z").model("gpt-4o").status(500).tokens(5, 0).build());

    // When
    JsonNode body = getOk("/v1/usage?groupBy=model");

    // Then the minute that overlaps the hour's start counts in full, the one before does not
    assertThat(body.get("groupBy").asText()).isEqualTo("model");
    assertThat(body.get("from").asText()).isEqualTo("2026-11-26T11:30:20Z");
    assertThat(body.get("to").asText()).isEqualTo("2026-11-26T12:30:20Z");
    assertThat(body.get("rows")).hasSize(2);
    JsonNode gpt4o = body.get("rows").get(0);
    assertThat(gpt4o.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(gpt4o.get("requests").asLong()).isEqualTo(2);
    assertThat(gpt4o.get("errors").asLong()).isEqualTo(1);
    assertThat(gpt4o.get("inputTokens").asLong()).isEqualTo(105);
    assertThat(gpt4o.get("outputTokens").asLong()).isEqualTo(10);
    assertThat(gpt4o.get("totalTokens").asLong()).isEqualTo(115);
    assertThat(gpt4o.get("cacheReadInputTokens").asLong()).isEqualTo(40);
    assertThat(gpt4o.get("cacheCreationInputTokens").asLong()).isEqualTo(2);
    assertThat(gpt4o.get("reasoningTokens").asLong()).isEqualTo(3);
    JsonNode claude = body.get("rows").get(1);
    assertThat(claude.get("model").asText()).isEqualTo("claude");
    assertThat(claude.get("requests").asLong()).isEqualTo(1);
    assertThat(claude.get("totalTokens").asLong()).isEqualTo(22);
  }

  @Test
  void shouldGroupByModelWhenGroupByIsAbsent() throws Exception {
    // Given
    driver.pipe(event("a1", "2026-11-26T12:00:00Z").model("gpt-4o").tokens(1, 1).build());

    // When
    JsonNode body = getOk("/v1/usage");

    // Then
    assertThat(body.get("groupBy").asText()).isEqualTo("model");
    assertThat(groups(body, "model")).containsExactly("gpt-4o");
  }

  @ParameterizedTest
  @CsvSource({
    "route, default/r1#0, default/r2#0",
    "backend, default/b1, default/b2",
    "provider, openai, anthropic",
    "gateway, default/agentgateway, prod/edge"
  })
  void shouldGroupByEachDimension(String groupBy, String bigger, String smaller) throws Exception {
    // Given one event with many tokens in group "bigger" (split over two models) and one in "smaller"
    driver.pipe(
        withDimension(event("x1", "2026-11-26T12:00:00Z").model("m1").tokens(30, 0), groupBy, bigger).build(),
        withDimension(event("x2", "2026-11-26T12:01:00Z").model("m2").tokens(30, 0), groupBy, bigger).build(),
        withDimension(event("y1", "2026-11-26T12:02:00Z").model("m1").tokens(10, 0), groupBy, smaller).build());

    // When
    JsonNode body = getOk("/v1/usage?groupBy=" + groupBy);

    // Then one row per value of that dimension, named by it
    assertThat(body.get("groupBy").asText()).isEqualTo(groupBy);
    assertThat(groups(body, groupBy)).containsExactly(bigger, smaller);
    assertThat(body.get("rows").get(0).get("requests").asLong()).isEqualTo(2);
    assertThat(body.get("rows").get(0).get("totalTokens").asLong()).isEqualTo(60);
    assertThat(body.get("rows").get(1).get("totalTokens").asLong()).isEqualTo(10);
  }

  @Test
  void shouldSortByTotalTokensDescendingThenByName() throws Exception {
    // Given
    driver.pipe(
        event("1", "2026-11-26T12:00:00Z").model("small").tokens(1, 0).build(),
        event("2", "2026-11-26T12:00:00Z").model("tie-b").tokens(5, 0).build(),
        event("3", "2026-11-26T12:00:00Z").model("tie-a").tokens(4, 1).build(),
        event("4", "2026-11-26T12:00:00Z").model("large").tokens(50, 50).build());

    // When
    JsonNode body = getOk("/v1/usage?groupBy=model");

    // Then
    assertThat(groups(body, "model")).containsExactly("large", "tie-a", "tie-b", "small");
  }

  @Test
  void shouldNarrowAndWidenTheRangeWithFromAndTo() throws Exception {
    // Given usage three hours ago, and within the last hour
    driver.pipe(
        event("early", "2026-11-26T09:15:30Z").model("gpt-4o").tokens(7, 0).build(),
        event("recent", "2026-11-26T12:15:30Z").model("gpt-4o").tokens(3, 0).build());

    // When
    JsonNode wide = getOk("/v1/usage?groupBy=model&from=2026-11-26T09:00:00Z");
    JsonNode narrow = getOk("/v1/usage?groupBy=model&from=2026-11-26T09:15:00Z&to=2026-11-26T09:16:00Z");
    JsonNode before = getOk("/v1/usage?groupBy=model&from=2026-11-26T09:14:00Z&to=2026-11-26T09:15:00Z");
    JsonNode withOffset =
        getOk("/v1/usage?groupBy=model&from=" + encode("2026-11-26T10:15:00+01:00") + "&to=" + encode("2026-11-26T10:16:00+01:00"));

    // Then
    assertThat(wide.get("to").asText()).isEqualTo(NOW.toString());
    assertThat(wide.get("rows").get(0).get("totalTokens").asLong()).isEqualTo(10);
    assertThat(narrow.get("rows").get(0).get("totalTokens").asLong()).isEqualTo(7);
    assertThat(before.get("rows")).isEmpty();
    assertThat(withOffset.get("rows").get(0).get("totalTokens").asLong()).isEqualTo(7);
  }

  @Test
  void shouldAnswerAnEmptyListWhenNothingWasUsed() throws Exception {
    // When
    JsonNode body = getOk("/v1/usage?groupBy=provider");

    // Then
    assertThat(body.get("rows").isArray()).isTrue();
    assertThat(body.get("rows")).isEmpty();
  }

  @Test
  void shouldRejectAnUnknownGroupBy() throws Exception {
    // When
    HttpResponse<String> response = get("/v1/usage?groupBy=foo");

    // Then
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(errorMessage(response))
        .isEqualTo("groupBy: 'foo' (expected one of model, route, provider, backend, gateway)");
    assertThat(Json.mapper().readTree(response.body()).at("/error/code").asText()).isEqualTo("invalid_parameter");
  }

  @Test
  void shouldRejectAnInstantThatDoesNotParse() throws Exception {
    // When
    HttpResponse<String> badFrom = get("/v1/usage?from=yesterday");
    HttpResponse<String> badTo = get("/v1/usage?to=2026-13-01T00:00:00Z");

    // Then
    assertThat(badFrom.statusCode()).isEqualTo(400);
    assertThat(errorMessage(badFrom)).startsWith("from: 'yesterday' (expected an ISO-8601 instant");
    assertThat(badTo.statusCode()).isEqualTo(400);
    assertThat(errorMessage(badTo)).startsWith("to: '2026-13-01T00:00:00Z'");
  }

  @Test
  void shouldRejectFromAfterTo() throws Exception {
    // When
    HttpResponse<String> response = get("/v1/usage?from=2026-11-26T12:00:00Z&to=2026-11-26T11:00:00Z");

    // Then
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(errorMessage(response))
        .isEqualTo("from: 2026-11-26T12:00:00Z is after to: 2026-11-26T11:00:00Z (expected from to be at or before to)");
  }

  @Test
  void shouldRejectAParameterGivenTwiceOrEmpty() throws Exception {
    // When
    HttpResponse<String> twice = get("/v1/usage?groupBy=model&groupBy=route");
    HttpResponse<String> empty = get("/v1/usage?groupBy=");

    // Then
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(errorMessage(twice)).isEqualTo("groupBy: given 2 times (expected it once)");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(errorMessage(empty)).isEqualTo("groupBy: empty (expected a value)");
  }

  @Test
  void shouldAnswer503WhileTheStoreCannotBeRead() throws Exception {
    // Given
    stores.readable(false);

    // When
    HttpResponse<String> response = get("/v1/usage");

    // Then
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(errorMessage(response)).contains("not ready");
  }

  @Test
  void shouldReportLivenessAndReadinessSeparately() throws Exception {
    // Given live but not yet ready
    ready.set(false);

    // When
    HttpResponse<String> health = get("/healthz");
    HttpResponse<String> notReady = get("/readyz");
    ready.set(true);
    HttpResponse<String> nowReady = get("/readyz");

    // Then
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(Json.mapper().readTree(notReady.body()).get("status").asText()).isEqualTo("unavailable");
    assertThat(nowReady.statusCode()).isEqualTo(200);
    assertThat(Json.mapper().readTree(nowReady.body()).get("status").asText()).isEqualTo("ok");
  }

  @Test
  void shouldAnswerJsonErrorsForUnknownPathsAndMethods() throws Exception {
    // When
    HttpResponse<String> unknown = get("/v1/nothing");
    HttpResponse<String> post =
        client.send(
            HttpRequest.newBuilder(uri("/v1/usage")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
            HttpResponse.BodyHandlers.ofString());

    // Then
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(errorMessage(unknown)).isEqualTo("no such endpoint: /v1/nothing");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(errorMessage(post)).isEqualTo("POST /v1/usage: not allowed (expected GET)");
  }

  private static dev.tollway.usage.testing.Events.Builder withDimension(
      dev.tollway.usage.testing.Events.Builder builder, String dimension, String value) {
    return switch (dimension) {
      case "route" -> builder.route(value);
      case "backend" -> builder.backend(value);
      case "provider" -> builder.provider(value);
      case "gateway" -> builder.gateway(value);
      default -> throw new IllegalArgumentException(dimension);
    };
  }

  private JsonNode getOk(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response = get(pathAndQuery);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.mapper().readTree(response.body());
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  private static String errorMessage(HttpResponse<String> response) throws IOException {
    return Json.mapper().readTree(response.body()).at("/error/message").asText();
  }

  private static List<String> groups(JsonNode body, String field) {
    List<String> groups = new ArrayList<>();
    body.get("rows").forEach(row -> groups.add(row.get(field).asText()));
    return groups;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

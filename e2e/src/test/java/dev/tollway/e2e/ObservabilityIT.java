package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.config.admin.ConfigMetrics;
import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.TollwayStack;
import dev.tollway.schemas.serde.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Grafana dashboard in {@code deploy/grafana} against the running stack: after traffic through the
 * tutorial's route (plain, streamed, a provider failure), every metric the dashboard queries is in a scrape of
 * edge-proxy, usage-streams or config-service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityIT {

  private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "tollway.json");
  private static final Pattern METRIC = Pattern.compile("\\b((?:tollway|gen_ai)_[a-z0-9_]+)\\b");
  private static final String BODY = "{\"messages\": [{\"role\": \"user\", \"content\": \"What is Kubernetes?\"}]}";
  private static final String STREAM =
      "{\"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"What is Kubernetes?\"}]}";

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private TollwayStack tollway;
  private final ConfigMetrics configMetrics = ConfigMetrics.create();

  @BeforeAll
  void start() {
    tollway = TollwayStack.start(KAFKA);
    tollway.stack().configService().addListener(configMetrics);
  }

  @AfterAll
  void stop() {
    if (tollway != null) {
      tollway.close();
    }
  }

  private HttpResponse<String> chat(String body, String... headers) {
    return TollwayStack.postJson(tollway.gatewayUrl() + "/v1/chat/completions", body, headers);
  }

  private Set<String> scraped() {
    Set<String> names = new TreeSet<>();
    String edge = tollway.get("http://127.0.0.1:" + tollway.stack().edgeProxy().adminPort() + "/metrics").body();
    String usage = tollway.get(tollway.usageUrl() + "/metrics").body();
    for (String text : new String[] {edge, usage, configMetrics.scrape()}) {
      for (String line : text.split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
          names.add(line.substring(0, end));
        }
      }
    }
    return names;
  }

  @Test
  void shouldFindEveryMetricOfTheDashboardInAScrapeOfTheRunningStack() throws IOException {
    // Given the dashboard, which parses, with its panels and their queries
    JsonNode dashboard = Json.mapper().readTree(Files.readString(DASHBOARD));
    assertThat(dashboard.get("title").asText()).isEqualTo("Tollway");
    Set<String> referenced = new TreeSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        // metric names only: not the labels of "by (...)" clauses and "{...}" selectors
        String expr = target.get("expr").asText().replaceAll("by \\([^)]*\\)", " ").replaceAll("\\{[^}]*\\}", " ");
        Matcher matcher = METRIC.matcher(expr);
        while (matcher.find()) {
          referenced.add(matcher.group(1));
        }
      }
    }
    assertThat(referenced).contains("gen_ai_client_token_usage_sum", "gen_ai_server_request_duration_seconds_bucket",
        "gen_ai_server_time_to_first_token_seconds_bucket", "tollway_upstream_connections",
        "tollway_usage_queue_depth", "tollway_config_publishes_total", "tollway_usage_consumer_lag");

    // When the tutorial's catch-all route serves a chat, a streamed chat and a provider failure
    tollway.apply("tutorial/01-gateway.yaml");
    tollway.apply("tutorial/gemini-secret.yaml");
    tollway.apply("tutorial/llm/gemini/02-backend-gemini.yaml");
    tollway.apply("tutorial/llm/03-httproute.yaml");
    await().atMost(Duration.ofSeconds(60)).until(() -> chat(BODY).statusCode() == 200);
    assertThat(chat(STREAM).body()).contains("[DONE]");
    assertThat(chat(BODY, "x-fake-status", "503").statusCode()).isGreaterThanOrEqualTo(500);

    // Then every metric the dashboard queries is exposed by one of the services
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(scraped()).containsAll(referenced));
  }
}

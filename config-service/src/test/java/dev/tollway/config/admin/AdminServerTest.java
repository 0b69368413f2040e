package dev.tollway.config.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.config.ConfigService;
import dev.tollway.config.ConfigServiceConfig;
import dev.tollway.config.Manifests;
import dev.tollway.config.MockKafka;
import dev.tollway.config.price.LiteLlmTable;
import dev.tollway.config.price.PriceCatalog;
import dev.tollway.config.publish.KafkaClients;
import dev.tollway.config.watch.FolderSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin port of config-service: probes and the metrics of its passes, over HTTP. */
class AdminServerTest {

  private static final PriceCatalog CATALOG = LiteLlmTable.convert("""
      {"gpt-4o": {"litellm_provider": "openai", "mode": "chat",
                  "input_cost_per_token": 2.5e-6, "output_cost_per_token": 1e-5}}
      """.getBytes(StandardCharsets.UTF_8));

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private ConfigService service;
  private AdminServer admin;

  private final KafkaClients clients = new KafkaClients() {
    @Override
    public Producer<String, byte[]> producer(Map<String, Object> config) {
      return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public Consumer<String, byte[]> consumer(Map<String, Object> config) {
      return MockKafka.emptyTopics();
    }
  };

  @AfterEach
  void close() {
    if (admin != null) {
      admin.close();
    }
    if (service != null) {
      service.close();
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServeProbesAndTheMetricsOfEachPass() throws Exception {
    // Given the tutorial's Gateway, a backend, a route to it and a route to a backend that does not exist
    Files.writeString(dir.resolve("01-gateway.yaml"), Manifests.text("seed/01-gateway.yaml"));
    Files.writeString(dir.resolve("02-backend.yaml"), Manifests.text("seed/llm/gemini/02-backend-gemini.yaml"));
    Files.writeString(dir.resolve("secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: gemini-secret}\n"
        + "stringData: {Authorization: g-key}\n");
    Files.writeString(dir.resolve("03-route.yaml"), Manifests.text("seed/llm/03-httproute.yaml"));
    Files.writeString(dir.resolve("04-broken.yaml"), Manifests.text("seed/llm/03-httproute.yaml")
        .replace("llm-route", "broken-route").replace("name: gemini", "name: missing"));
    ConfigServiceConfig config = ConfigServiceConfig.fromEnv(Map.of(
        "TOLLWAY_KAFKA_BOOTSTRAP", "127.0.0.1:9", "TOLLWAY_CONFIG_DIR", dir.toString(), "TOLLWAY_ADMIN_PORT", "0"));
    service = new ConfigService(config, Manifests.cipher(), Clock.systemUTC(),
        new FolderSource(dir, Map.of()), clients, CATALOG);
    ConfigMetrics metrics = ConfigMetrics.create();
    service.addListener(metrics);
    admin = AdminServer.start("127.0.0.1", config.adminPort(), service::isLive, service::isReady, metrics::scrape);
    assertThat(get("/readyz").statusCode()).isEqualTo(503);

    // When config-service has published
    service.start();
    await().atMost(Duration.ofSeconds(15)).until(service::isReady);

    // Then the probes say so
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    // and the metrics count the snapshot published, the compile time and the resources by condition
    HttpResponse<String> scrape = get("/metrics");
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(scrape.body())
        .contains("tollway_config_publishes_total{outcome=\"published\",topic=\"tollway.config.v1\"} 1.0")
        .contains("tollway_config_publishes_total{outcome=\"published\",topic=\"tollway.prices.v1\"} 1.0")
        .contains("tollway_config_publishes_total{outcome=\"failed\",topic=\"tollway.config.v1\"} 0.0")
        .contains("tollway_config_compile_seconds_count 1")
        .contains("tollway_config_snapshots 1.0")
        .contains("tollway_config_resources{condition=\"ResolvedRefs\",kind=\"HTTPRoute\",reason=\"BackendNotFound\","
            + "status=\"False\"} 1.0")
        .contains("tollway_config_resources{condition=\"ResolvedRefs\",kind=\"HTTPRoute\",reason=\"ResolvedRefs\","
            + "status=\"True\"} 1.0")
        .contains("tollway_config_resources{condition=\"Programmed\",kind=\"Gateway\",reason=\"Programmed\","
            + "status=\"True\"} 1.0");
  }
}

package dev.tollway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.config.price.LiteLlmTable;
import dev.tollway.config.price.PriceCatalog;
import dev.tollway.config.publish.KafkaClients;
import dev.tollway.config.status.ConditionStatus;
import dev.tollway.config.watch.FolderSource;
import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole loop in-process: a watched folder, the compiler, and Kafka's mock producer. */
class ConfigServiceTest {

  private static final String TOPIC = "tollway.config.v1";
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** A one-model catalog, so that the loop tests stay small. */
  private static final PriceCatalog CATALOG = LiteLlmTable.convert("""
      {"gpt-4o": {"litellm_provider": "openai", "mode": "chat",
                  "input_cost_per_token": 2.5e-6, "output_cost_per_token": 1e-5}}
      """.getBytes(StandardCharsets.UTF_8));

  @TempDir
  Path dir;

  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  private final List<PublishCycle> cycles = new CopyOnWriteArrayList<>();
  private ConfigService service;

  private final KafkaClients clients = new KafkaClients() {
    @Override
    public Producer<String, byte[]> producer(Map<String, Object> config) {
      return producer;
    }

    @Override
    public Consumer<String, byte[]> consumer(Map<String, Object> config) {
      return MockKafka.emptyTopics();
    }
  };

  private void write(String relative, String text) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private ConfigService start() {
    ConfigServiceConfig config = ConfigServiceConfig.fromEnv(Map.of(
        "TOLLWAY_KAFKA_BOOTSTRAP", "127.0.0.1:9", "TOLLWAY_CONFIG_DIR", dir.toString()));
    service = new ConfigService(config, Manifests.cipher(), Clock.systemUTC(),
        new FolderSource(dir, Map.of("GEMINI_API_KEY", "g-key")), clients, CATALOG);
    service.addListener(cycles::add);
    service.start();
    return service;
  }

  /** What was written to the config topic. */
  private List<ProducerRecord<String, byte[]>> records() {
    return records(TOPIC);
  }

  private List<ProducerRecord<String, byte[]>> records(String topic) {
    return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
  }

  private GatewaySnapshot lastSnapshot() {
    ProducerRecord<String, byte[]> last = records().get(records().size() - 1);
    return Json.fromBytes(last.value(), GatewaySnapshot.class);
  }

  @AfterEach
  void close() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void shouldPublishOnStartAndRepublishOnEveryChangeOfTheFolder() throws IOException {
    // Given the tutorial's first three steps
    write("01-gateway.yaml", Manifests.text("seed/01-gateway.yaml"));
    write("llm/gemini/02-backend-gemini.yaml", Manifests.text("seed/llm/gemini/02-backend-gemini.yaml"));
    write("llm/03-httproute.yaml", Manifests.text("seed/llm/03-httproute.yaml"));
    write("secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: gemini-secret}\n"
        + "stringData: {Authorization: '${GEMINI_API_KEY}'}\n");

    // When
    start();

    // Then the catch-all route is published and the service is ready
    await().atMost(WAIT).until(service::isReady);
    assertThat(service.isLive()).isTrue();
    assertThat(records()).singleElement().extracting(ProducerRecord::key).isEqualTo("default/agentgateway");
    assertThat(lastSnapshot().routes()).extracting(r -> r.match().path().value()).containsExactly("/");
    assertThat(cycles.get(0).describe())
        .containsExactly("published default/agentgateway (1 route)", "published price openai/gpt-4o (catalog)");

    // When step 04 is applied (same HTTPRoute name)
    write("llm/04-httproute-gemini.yaml", Manifests.text("seed/llm/04-httproute-gemini.yaml"));

    // Then the route is replaced
    await().atMost(WAIT).until(() -> records().size() == 2);
    assertThat(lastSnapshot().routes()).extracting(r -> r.match().path().value()).containsExactly("/ai/gemini");

    // When a file that changes nothing is added
    write("notes/readme.yaml", "# nothing here\n");
    await().atMost(WAIT).until(() -> cycles.size() >= 3);

    // Then nothing is republished
    assertThat(records()).hasSize(2);

    // When the Gateway's file is deleted
    Files.delete(dir.resolve("01-gateway.yaml"));

    // Then its snapshot is tombstoned
    await().atMost(WAIT).until(() -> records().size() == 3);
    assertThat(records().get(2).key()).isEqualTo("default/agentgateway");
    assertThat(records().get(2).value()).isNull();
  }

  @Test
  void shouldBecomeReadyOnlyOncePublishingSucceedsAndRetryUntilThen() throws IOException {
    // Given a broker that does not acknowledge
    write("01-gateway.yaml", Manifests.text("seed/01-gateway.yaml"));
    producer.sendException = new TimeoutException("broker unreachable");

    // When
    start();

    // Then the failure is reported and the service is not ready
    await().atMost(WAIT).until(() -> !cycles.isEmpty());
    assertThat(cycles.get(0).publish().failed()).containsKey("default/agentgateway");
    assertThat(service.isReady()).isFalse();

    // When the broker recovers, Then the retry publishes
    producer.sendException = null;
    await().atMost(WAIT).until(service::isReady);
    assertThat(records()).extracting(ProducerRecord::key).contains("default/agentgateway");
  }

  @Test
  void shouldCloseIdempotently() throws IOException {
    // Given
    write("01-gateway.yaml", Manifests.text("seed/01-gateway.yaml"));
    start();
    await().atMost(WAIT).until(service::isReady);

    // When
    service.close();
    service.close();

    // Then
    assertThat(service.isLive()).isFalse();
    assertThat(service.isReady()).isFalse();
    assertThat(producer.closed()).isTrue();
  }

  @Test
  void shouldPublishTheCatalogPriceOverridesAndBudgetsAndTombstoneARemovedBudget() throws IOException {
    // Given a price override, two budgets and a broken budget next to the Gateway
    write("01-gateway.yaml", Manifests.text("seed/01-gateway.yaml"));
    write("metering/prices.yaml", """
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: self-hosted}
        spec: {provider: openai, model: "llama3.1:8b", input: "0.05", output: "0.10"}
        """);
    write("metering/payments.yaml", """
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: payments-daily, namespace: payments}
        spec: {subject: {team: payments}, window: Day, timeZone: Europe/Paris, limit: {usd: "50.00"}}
        """);
    write("metering/alice.yaml", """
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: alice-hourly}
        spec: {subject: {apiKey: team-keys/alice}, window: Hour, limit: {tokens: 100000}}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: broken}
        spec: {subject: {team: payments}, window: Weekly, limit: {usd: "1"}}
        """);

    // When
    start();

    // Then the catalog and the override are on the prices topic, the valid budgets on the budgets topic
    await().atMost(WAIT).until(service::isReady);
    assertThat(records(Topics.PRICES.name())).extracting(ProducerRecord::key)
        .containsExactly("openai/gpt-4o", "openai/llama3.1:8b");
    ModelPrice override = Json.fromBytes(records(Topics.PRICES.name()).get(1).value(), ModelPrice.class);
    assertThat(override.rates().input()).isEqualTo(50_000_000L);
    assertThat(override.source()).isEqualTo("override:default/self-hosted");
    assertThat(records(Topics.BUDGETS.name())).extracting(ProducerRecord::key)
        .containsExactly("default/alice-hourly", "payments/payments-daily");
    Budget payments = Json.fromBytes(records(Topics.BUDGETS.name()).get(1).value(), Budget.class);
    assertThat(payments.limit()).isEqualTo(50_000_000_000L);
    assertThat(payments.timeZone()).isEqualTo("Europe/Paris");
    PublishCycle cycle = cycles.get(0);
    assertThat(cycle.describe()).contains("published price openai/llama3.1:8b (override:default/self-hosted)",
        "published budget default/alice-hourly", "published budget payments/payments-daily");
    assertThat(cycle.metering().budgets().problems()).singleElement().satisfies(p -> {
      assertThat(p.resource().key()).isEqualTo("default/broken");
      assertThat(p.condition().status()).isEqualTo(ConditionStatus.False);
      assertThat(p.condition().message()).isEqualTo("spec.window: \"Weekly\" (expected: Day, Month, Minute or Hour)");
    });

    // When alice's budget is edited into an invalid one
    int cyclesBefore = cycles.size();
    write("metering/alice.yaml", """
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: alice-hourly}
        spec: {subject: {apiKey: team-keys/alice}, window: Hour, limit: {tokens: lots}}
        """);

    // Then her budget stays in force: nothing is written, and the condition says why
    await().atMost(WAIT).until(() -> cycles.size() > cyclesBefore
        && cycles.get(cycles.size() - 1).metering().budgets().problems().size() == 1);
    assertThat(cycles.get(cycles.size() - 1).metering().budgets().problems()).singleElement()
        .satisfies(p -> assertThat(p.condition().message()).isEqualTo("spec.limit.tokens: \"lots\" (expected: a "
            + "whole number of tokens, 0 or more); the last accepted version stays in force"));
    assertThat(records(Topics.BUDGETS.name())).hasSize(2);

    // When the payments budget is deleted
    int budgetRecords = records(Topics.BUDGETS.name()).size();
    Files.delete(dir.resolve("metering/payments.yaml"));

    // Then it is tombstoned, and nothing else is written
    await().atMost(WAIT).until(() -> records(Topics.BUDGETS.name()).size() == budgetRecords + 1);
    ProducerRecord<String, byte[]> last = records(Topics.BUDGETS.name()).get(budgetRecords);
    assertThat(last.key()).isEqualTo("payments/payments-daily");
    assertThat(last.value()).isNull();
    assertThat(records(Topics.PRICES.name())).hasSize(2);
    assertThat(records()).hasSize(1);
  }

  @Test
  void shouldPublishSnapshotsEvenWhenThePriceTopicCannotBeReadAndRetryIt() throws IOException {
    // Given a broker without the prices topic
    write("01-gateway.yaml", Manifests.text("seed/01-gateway.yaml"));
    KafkaClients withoutPrices = new KafkaClients() {
      @Override
      public Producer<String, byte[]> producer(Map<String, Object> config) {
        return producer;
      }

      @Override
      public Consumer<String, byte[]> consumer(Map<String, Object> config) {
        MockConsumer<String, byte[]> consumer = (MockConsumer<String, byte[]>) clients.consumer(config);
        consumer.updatePartitions(Topics.PRICES.name(), List.of());
        return consumer;
      }
    };
    ConfigServiceConfig config = ConfigServiceConfig.fromEnv(Map.of(
        "TOLLWAY_KAFKA_BOOTSTRAP", "127.0.0.1:9", "TOLLWAY_CONFIG_DIR", dir.toString()));
    service = new ConfigService(config, Manifests.cipher(), Clock.systemUTC(), new FolderSource(dir, Map.of()),
        withoutPrices, CATALOG);
    service.addListener(cycles::add);

    // When
    service.start();

    // Then the Gateway's snapshot is published, the prices are reported as failed and retried, and the service
    // is not ready
    await().atMost(WAIT).until(() -> cycles.size() >= 2);
    assertThat(records()).extracting(ProducerRecord::key).containsExactly("default/agentgateway");
    assertThat(cycles).allSatisfy(c -> {
      assertThat(c.metering().pricesPublish().failed()).containsOnlyKeys("tollway.prices.v1");
      assertThat(c.metering().budgetsPublish().ok()).isTrue();
    });
    assertThat(service.isReady()).isFalse();
  }
}

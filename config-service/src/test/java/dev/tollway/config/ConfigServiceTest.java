package dev.tollway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.config.publish.KafkaClients;
import dev.tollway.config.watch.FolderSource;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import java.io.IOException;
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
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
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
      MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
      TopicPartition partition = new TopicPartition(TOPIC, 0);
      consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, new Node[0], new Node[0])));
      consumer.updateBeginningOffsets(Map.of(partition, 0L));
      consumer.updateEndOffsets(Map.of(partition, 0L));
      return consumer;
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
        new FolderSource(dir, Map.of("GEMINI_API_KEY", "g-key")), clients);
    service.addListener(cycles::add);
    service.start();
    return service;
  }

  private List<ProducerRecord<String, byte[]>> records() {
    return producer.history();
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
    assertThat(cycles.get(0).describe()).containsExactly("published default/agentgateway (1 route)");

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
}

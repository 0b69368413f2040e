package dev.tollway.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollway.usage.topology.SkipUndecodableRecords;
import dev.tollway.usage.topology.SkippedRecords;
import dev.tollway.usage.topology.TopologySettings;
import dev.tollway.usage.topology.UsageTopology;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageStreamsTest {

  @TempDir Path stateDir;

  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void shouldRunExactlyOnceWithAShortCommitIntervalAndSkipUndecodableRecords() {
    // Given
    UsageStreamsConfig config = config("kafka:9092");
    SkippedRecords skipped = new SkippedRecords();

    // When
    Properties properties = UsageStreams.streamsProperties(config, skipped);

    // Then
    assertThat(properties)
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200L)
        .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "tollway-usage-streams")
        .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092")
        .containsEntry(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString())
        .containsEntry(
            StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipUndecodableRecords.class.getName())
        .containsEntry(SkippedRecords.CONFIG_KEY, skipped);
  }

  @Test
  void shouldNotIdleForOtherPartitionsBecauseEveryTaskReadsOnlyOne() {
    // Given the production topology
    TopologyDescription topology =
        UsageTopology.build(new TopologySettings(Duration.ofMinutes(5), Duration.ofDays(7))).describe();

    // When
    Properties properties = UsageStreams.streamsProperties(config("kafka:9092"), new SkippedRecords());

    // Then Kafka Streams does not wait to order records of several partitions by time ...
    assertThat(properties).containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    // ... which is right only while every subtopology reads a single topic (a join would need it back)
    assertThat(topology.subtopologies())
        .isNotEmpty()
        .allSatisfy(
            subtopology ->
                assertThat(subtopology.nodes().stream()
                        .filter(node -> node instanceof TopologyDescription.Source)
                        .flatMap(node -> ((TopologyDescription.Source) node).topicSet().stream()))
                    .as(subtopology.toString())
                    .hasSize(1));
  }

  @Test
  void shouldHandAFailedMembersPartitionsOnAfterTenSecondsUnlessTheSettingsSayOtherwise() {
    // Given no Kafka settings, and a setting for the session timeout
    UsageStreamsConfig configured = UsageStreamsConfig.fromEnv(Map.of(
        "TOLLWAY_KAFKA_BOOTSTRAP", "kafka:9093",
        "TOLLWAY_USAGE_STATE_DIR", stateDir.toString(),
        "TOLLWAY_KAFKA_SESSION_TIMEOUT_MS", "30000"));

    // When
    Properties defaults = UsageStreams.streamsProperties(config("kafka:9092"), new SkippedRecords());
    Properties set = UsageStreams.streamsProperties(configured, new SkippedRecords());

    // Then Kafka Streams' consumers time a silent member out after 10 s (Kafka's own default is 45 s) ...
    assertThat(new StreamsConfig(defaults).getMainConsumerConfigs("group", "client", 0))
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    // ... or after what the settings name
    assertThat(new StreamsConfig(set).getMainConsumerConfigs("group", "client", 0))
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
  }

  @Test
  void shouldGiveKafkaStreamsTheClientPropertiesButKeepItsOwnSettings() {
    // Given TLS and SASL settings, and an attempt to turn exactly-once off through the pass-through
    UsageStreamsConfig config = UsageStreamsConfig.fromEnv(Map.of(
        "TOLLWAY_KAFKA_BOOTSTRAP", "kafka:9093",
        "TOLLWAY_USAGE_STATE_DIR", stateDir.toString(),
        "TOLLWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "TOLLWAY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "TOLLWAY_KAFKA_PROCESSING_GUARANTEE", "at_least_once"));

    // When
    Properties properties = UsageStreams.streamsProperties(config, new SkippedRecords());

    // Then
    assertThat(properties)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
        .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9093");
  }

  @Test
  void shouldBeLiveButNotReadyWhileKafkaCannotBeReached() throws Exception {
    // Given a bootstrap address where no broker listens
    UsageStreams service = new UsageStreams(config("127.0.0.1:" + unusedPort()), Clock.systemUTC());

    try {
      // When
      service.start();

      // Then the HTTP API answers at once: live, not ready, no store yet
      assertThat(service.httpPort()).isPositive();
      assertThat(service.isLive()).isTrue();
      assertThat(service.isReady()).isFalse();
      assertThat(get(service, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(service, "/readyz").statusCode()).isEqualTo(503);
      HttpResponse<String> usage = get(service, "/v1/usage?groupBy=model");
      assertThat(usage.statusCode()).isEqualTo(503);
      assertThat(usage.body()).contains("not ready");
      // and its metrics are served: no lag known yet, nothing skipped
      HttpResponse<String> metrics = get(service, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("tollway_usage_consumer_lag{topic=\"tollway.usage.v1\"} 0.0")
          .contains("tollway_usage_skipped_records 0.0");
    } finally {
      service.close();
    }

    // And once closed it is neither live nor serving, and closing again does nothing
    assertThat(service.isLive()).isFalse();
    service.close();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThatThrownBy(() -> get(service, "/healthz")).isInstanceOf(IOException.class));
  }

  @Test
  void shouldRefuseToStartTwice() {
    // Given
    UsageStreams service = new UsageStreams(config("127.0.0.1:" + unusedPort()), Clock.systemUTC());
    try {
      service.start();

      // When / Then
      assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class).hasMessage("already started");
    } finally {
      service.close();
    }
  }

  @Test
  void shouldNotKnowItsPortBeforeStart() {
    UsageStreams service = new UsageStreams(config("kafka:9092"), Clock.systemUTC());

    assertThatThrownBy(service::httpPort).isInstanceOf(IllegalStateException.class).hasMessage("not started");
    service.close();
  }

  private UsageStreamsConfig config(String bootstrap) {
    return UsageStreamsConfig.fromEnv(
        Map.of(
            UsageStreamsConfig.KAFKA_BOOTSTRAP, bootstrap,
            UsageStreamsConfig.STATE_DIR, stateDir.toString(),
            UsageStreamsConfig.HTTP_HOST, "127.0.0.1",
            UsageStreamsConfig.HTTP_PORT, "0"));
  }

  private HttpResponse<String> get(UsageStreams service, String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int unusedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

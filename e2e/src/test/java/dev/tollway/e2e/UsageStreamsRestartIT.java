package dev.tollway.e2e;

import static dev.tollway.e2e.support.SpendApi.requestsPerKey;
import static dev.tollway.e2e.support.UsageStreamsFixture.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.UsageEvents;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.UsageStreams;
import dev.tollway.usage.UsageStreamsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * usage-streams started again recognises copies of events it counted before it stopped: the ids it stored
 * before are on disk or restored from the changelog, and a replayed copy is looked up there rather than only
 * among the ids it keeps in memory since it started.
 */
class UsageStreamsRestartIT {

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private static final int KEYS = 6;
  private static final int EVENTS_PER_KEY = 40;

  @ParameterizedTest(name = "state kept on disk: {0}")
  @ValueSource(booleans = {true, false})
  void shouldCountAnEventReplayedAfterARestartOnce(boolean keepStateDir) throws Exception {
    // Given usage-streams that counted each key's events, then stopped
    String applicationId = "usage-restart-it-" + UUID.randomUUID();
    String run = UUID.randomUUID().toString().substring(0, 8);
    Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant from = end.minus(Duration.ofMinutes(1));
    List<UsageEvent> events = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      for (int i = 0; i < EVENTS_PER_KEY; i++) {
        events.add(UsageEvents.chat(run + "-" + k + "-" + i, end.plusMillis(i), run + "-key-" + k, "team", "gpt-4o-mini"));
      }
    }
    Path stateDir = Files.createTempDirectory("usage-restart-it");
    try (UsageStreams usage = start(applicationId, stateDir)) {
      publish(events);
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(requestsPerKey(usage, run, from))
          .hasSize(KEYS)
          .allSatisfy((key, requests) -> assertThat(requests).as(key).isEqualTo(EVENTS_PER_KEY)));
    }

    // When every event is replayed while it is down (a proxy's spool), and it starts again, on its old state
    // folder or on a new one (a replica that never ran the task), followed by one new event per partition
    publish(events);
    Path nextStateDir = keepStateDir ? stateDir : Files.createTempDirectory("usage-restart-it");
    try (UsageStreams usage = start(applicationId, nextStateDir)) {
      int partitions = publishOnePerPartition(run + "-marker", end.plusSeconds(1));

      // Then once the new events are counted, so are the copies before them on each partition: not at all
      String marker = run + "-marker";
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(requestsPerKey(usage, marker, from)).containsEntry(marker, (long) partitions));
      assertThat(requestsPerKey(usage, run + "-key", from))
          .hasSize(KEYS)
          .allSatisfy((key, requests) -> assertThat(requests).as(key).isEqualTo(EVENTS_PER_KEY));
    }
  }

  private static UsageStreams start(String applicationId, Path stateDir) {
    Map<String, String> env = env(KAFKA.bootstrapServers(), applicationId, stateDir);
    UsageStreams usage = new UsageStreams(UsageStreamsConfig.fromEnv(env), Clock.systemUTC());
    usage.start();
    await().atMost(Duration.ofSeconds(60)).until(usage::isReady);
    return usage;
  }

  private static void publish(List<UsageEvent> events) {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (UsageEvent event : events) {
        producer.send(UsageEvents.record(event));
      }
      producer.flush();
    }
  }

  /** Publishes one event of API key {@code key} to each partition of the usage topic; returns how many. */
  private static int publishOnePerPartition(String key, Instant end) {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      int partitions = producer.partitionsFor(Topics.USAGE.name()).size();
      for (int partition = 0; partition < partitions; partition++) {
        UsageEvent event = UsageEvents.chat(key + "-" + partition, end, key, "team", "gpt-4o-mini");
        producer.send(new ProducerRecord<>(Topics.USAGE.name(), partition, event.requestId(), Json.toBytes(event)));
      }
      producer.flush();
      return partitions;
    }
  }

  private static KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(KAFKA.clientProperties(), new StringSerializer(), new ByteArraySerializer());
  }
}

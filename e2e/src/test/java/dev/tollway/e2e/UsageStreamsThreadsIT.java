package dev.tollway.e2e;

import static dev.tollway.e2e.support.SpendApi.requestsPerKey;
import static dev.tollway.e2e.support.UsageStreamsFixture.env;
import static dev.tollway.e2e.support.UsageStreamsFixture.streamThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.UsageEvents;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.UsageStreams;
import dev.tollway.usage.UsageStreamsConfig;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * usage-streams with several stream threads ({@code TOLLWAY_USAGE_STREAM_THREADS}) counts every event exactly
 * once, as with one: the tasks of every partition are spread over the threads, and a copy of an event (a
 * producer's retry, a proxy's replay) is dropped by whichever thread owns its partition.
 */
class UsageStreamsThreadsIT {

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private static final int KEYS = 12;
  private static final int EVENTS_PER_KEY = 50;

  @Test
  void shouldCountEveryEventOnceWithThreeStreamThreads() throws Exception {
    // Given usage-streams with three stream threads
    Map<String, String> env = env(KAFKA.bootstrapServers(), "usage-threads-it-" + UUID.randomUUID(),
        Files.createTempDirectory("usage-threads-it"));
    env.put(UsageStreamsConfig.STREAM_THREADS, "3");
    try (UsageStreams usage = new UsageStreams(UsageStreamsConfig.fromEnv(env), Clock.systemUTC())) {
      usage.start();
      await().atMost(Duration.ofSeconds(60)).until(usage::isReady);

      // When each key's events are published, every one of them twice (keys of this test only: an external
      // broker is shared), spread over the partitions of tollway.usage.v1 by their request ids
      String run = UUID.randomUUID().toString().substring(0, 8);
      Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(KAFKA.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
        for (int copy = 0; copy < 2; copy++) {
          for (int k = 0; k < KEYS; k++) {
            for (int i = 0; i < EVENTS_PER_KEY; i++) {
              UsageEvent event =
                  UsageEvents.chat(run + "-" + k + "-" + i, end.plusMillis(i), run + "-key-" + k, "team", "gpt-4o-mini");
              producer.send(UsageEvents.record(event));
            }
          }
        }
        producer.flush();
      }

      // Then /v1/spend counts each key's events once, and three threads ran the tasks
      Instant from = end.minus(Duration.ofMinutes(1));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(requestsPerKey(usage, run, from))
          .hasSize(KEYS)
          .allSatisfy((key, requests) -> assertThat(requests).as(key).isEqualTo(EVENTS_PER_KEY)));
      // and keep counting them once over the next commits (no late second count)
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(requestsPerKey(usage, run, from)).allSatisfy((key, requests) -> assertThat(requests).isEqualTo(EVENTS_PER_KEY)));
      assertThat(streamThreads(usage)).hasSize(3);
    }
  }

}

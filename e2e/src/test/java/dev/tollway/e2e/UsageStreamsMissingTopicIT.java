package dev.tollway.e2e;

import static dev.tollway.e2e.support.SpendApi.requestsPerKey;
import static dev.tollway.e2e.support.UsageStreamsFixture.env;
import static dev.tollway.e2e.support.UsageStreamsFixture.streamThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.e2e.support.UsageEvents;
import dev.tollway.local.kafka.EmbeddedKafka;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.UsageStreams;
import dev.tollway.usage.UsageStreamsConfig;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * usage-streams rides out a rebalance that finds its source topic missing — what a broker answers for a moment
 * after it restarts, before it has loaded its topics — instead of stopping: the failed stream thread is replaced,
 * and once the topic is there it runs and counts. A broker of its own: the test deletes and creates a topic.
 */
class UsageStreamsMissingTopicIT {

  @Test
  void shouldReplaceTheStreamThreadWhileTheSourceTopicIsMissingAndCountOnceItIsBack() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        Admin admin = Admin.create(kafka.clientProperties())) {
      // Given a broker without tollway.usage.v1
      admin.deleteTopics(List.of(Topics.USAGE.name())).all().get();
      await().atMost(Duration.ofSeconds(30))
          .until(() -> !admin.listTopics().names().get().contains(Topics.USAGE.name()));

      // When usage-streams starts there (its first rebalance finds the source topic missing) ...
      Map<String, String> env = env(kafka.bootstrapServers(),
          "usage-missing-topic-it-" + UUID.randomUUID(), Files.createTempDirectory("usage-missing-topic-it"));
      try (UsageStreams usage = new UsageStreams(UsageStreamsConfig.fromEnv(env), Clock.systemUTC())) {
        usage.start();

        // ... then the failed stream thread is replaced by a new one, and the service stays live
        await().atMost(Duration.ofSeconds(60)).until(() -> streamThreads(usage).stream().anyMatch(
            thread -> !thread.endsWith("-StreamThread-1")));
        assertThat(usage.isLive()).isTrue();
        assertThat(usage.isReady()).isFalse();

        // And when the topic is back, usage-streams runs and counts an event published to it
        admin.createTopics(List.of(Topics.USAGE.newTopic((short) 1))).all().get();
        await().atMost(Duration.ofSeconds(90)).until(usage::isReady);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
          UsageEvent event = UsageEvents.chat(run + "-1", end, run + "-key", "team", "gpt-4o-mini");
          producer.send(UsageEvents.record(event)).get();
        }
        Instant from = end.minus(Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(requestsPerKey(usage, run, from)).containsEntry(run + "-key", 1L));
        assertThat(usage.isLive()).isTrue();
      }
    }
  }

}

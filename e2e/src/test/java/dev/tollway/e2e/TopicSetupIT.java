package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollway.config.topics.TopicSettings;
import dev.tollway.config.topics.TopicSetup;
import dev.tollway.e2e.support.KafkaFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** config-service's topic creation at start, against a real broker. */
class TopicSetupIT {

  private static final String TOPIC = "tollway.usage.minute.v1";

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private static TopicSetup setup(String mode, String replication) {
    return new TopicSetup(TopicSettings.fromEnv(Map.of("TOLLWAY_TOPICS", mode, "TOLLWAY_TOPIC_REPLICATION",
        replication), TopicSettings.Mode.NONE), Duration.ofSeconds(30));
  }

  private static void deleteTopic(Admin admin) throws Exception {
    admin.deleteTopics(List.of(TOPIC)).all().get();
    await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get().contains(TOPIC));
  }

  @Test
  void shouldCreateMissingTopicsUnlessTheDeploymentDeclaresThem() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      // Given a topic of schemas/ missing
      deleteTopic(admin);

      // When topics are left to Strimzi, then nothing is created
      assertThat(setup("strimzi", "1").run(admin)).isEmpty();
      assertThat(admin.listTopics().names().get()).doesNotContain(TOPIC);

      // When the replication factor cannot be met, then the error says so
      assertThatThrownBy(() -> setup("create", "3").run(admin))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot create topic " + TOPIC)
          .hasMessageContaining("eplication factor");

      // When created with a replication factor the cluster has, then exactly the missing topic is created
      assertThat(setup("create", "1").run(admin)).containsExactly(TOPIC);
      await().atMost(Duration.ofSeconds(30)).until(() -> admin.listTopics().names().get().contains(TOPIC));
      assertThat(setup("create", "1").run(admin)).isEmpty();
    }
  }
}

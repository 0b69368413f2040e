package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.KafkaSource;
import dev.tollway.schemas.topic.TopicDefinition;
import dev.tollway.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.DockerClientFactory;

/** The Kafka fixture gives a working broker with the topics of schemas. */
class EmbeddedKafkaIT {

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  @Test
  void shouldRoundTripARecordThroughTheFixturesBroker() throws Exception {
    // Given a topic of its own on the fixture's broker (an external broker is shared)
    String topic = "test.roundtrip." + UUID.randomUUID();
    try (Admin admin = Admin.create(KAFKA.clientProperties())) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }

    // When a record is produced and a consumer group reads the topic
    Map<String, Object> producerConfig = new HashMap<>(KAFKA.clientProperties());
    producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
      producer.send(new ProducerRecord<>(topic, "gateway/default", "hello from the fixture")).get();
    }
    Map<String, Object> consumerConfig = new HashMap<>(KAFKA.clientProperties());
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
      consumer.subscribe(List.of(topic));
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
        return !received.isEmpty();
      });
    }

    // Then the consumer got exactly that record
    assertThat(received).singleElement().satisfies(record -> {
      assertThat(record.key()).isEqualTo("gateway/default");
      assertThat(record.value()).isEqualTo("hello from the fixture");
    });
  }

  @Test
  void shouldHaveEveryTopicOfTheSchemas() throws Exception {
    // Given the fixture's broker
    // When its topics are listed
    Set<String> names;
    try (Admin admin = Admin.create(KAFKA.clientProperties())) {
      names = admin.listTopics().names().get();
    }

    // Then every topic of the schemas is there
    assertThat(names).containsAll(Topics.all().stream().map(TopicDefinition::name).toList());
  }

  @Test
  void shouldRunOnTheSourceChosenFromThePropertiesAndDocker() {
    // Given the system properties and whether Docker is reachable here
    KafkaSource expected =
        KafkaSource.choose(System.getProperties(), () -> DockerClientFactory.instance().isDockerAvailable());

    // Then the fixture runs on that source; without Docker or -Dkafka.bootstrap, on the embedded broker
    assertThat(KAFKA.source()).isEqualTo(expected);
    if (expected == KafkaSource.EMBEDDED) {
      assertThat(KAFKA.bootstrapServers()).startsWith("127.0.0.1:");
    }
  }

  @Nested
  class InANestedClass {

    @Test
    void shouldShareTheEnclosingClassesBroker(KafkaFixture fixture) {
      assertThat(fixture).isSameAs(KAFKA);
      assertThat(fixture.bootstrapServers()).isEqualTo(KAFKA.bootstrapServers());
    }
  }
}

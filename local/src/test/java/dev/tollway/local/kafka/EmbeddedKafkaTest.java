package dev.tollway.local.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollway.schemas.topic.TopicDefinition;
import dev.tollway.schemas.topic.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedKafkaTest {

  private EmbeddedKafka kafka;

  @BeforeAll
  void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  void stopBroker() {
    kafka.close();
  }

  @Test
  void shouldRoundTripARecordThroughTheBroker() throws Exception {
    // Given a topic on the running broker
    createTopic(kafka, "test.roundtrip");

    // When a record is produced
    produce(kafka, "test.roundtrip", "key-1", "hello kafka");

    // Then a consumer reads it back
    assertThat(consumeAll(kafka, "test.roundtrip", 1))
        .extracting(ConsumerRecord::key, ConsumerRecord::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("key-1", "hello kafka"));
  }

  @Test
  void shouldCreateEveryTopicOfTheSchemasWithItsPartitionsAndCleanupPolicy() throws Exception {
    // Given the broker started by the test class
    List<String> names = Topics.all().stream().map(TopicDefinition::name).toList();

    // When the topics are described
    Map<String, TopicDescription> descriptions;
    Map<ConfigResource, Config> configs;
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      descriptions = admin.describeTopics(names).allTopicNames().get();
      List<ConfigResource> resources =
          names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
      configs = admin.describeConfigs(resources).all().get();
    }

    // Then each has the partitions and configs of its definition
    assertThat(kafka.createdTopics()).containsExactlyInAnyOrderElementsOf(names);
    for (TopicDefinition<?> topic : Topics.all()) {
      assertThat(descriptions.get(topic.name()).partitions()).as(topic.name()).hasSize(topic.partitions());
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
      assertThat(config.get("cleanup.policy").value()).as(topic.name()).isEqualTo(topic.cleanupPolicy());
      topic.allConfigs().forEach((name, value) ->
          assertThat(config.get(name).value()).as(topic.name() + " " + name).isEqualTo(value));
    }
    assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.CONFIG.name()))
            .get("cleanup.policy").value())
        .isEqualTo("compact");
    assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.QUOTA.name()))
            .get("cleanup.policy").value())
        .isEqualTo("compact");
  }

  @Test
  void shouldCompactACompactedTopicWithinSeconds() throws Exception {
    // Given a compacted topic that rolls its segments quickly, holding 300 records over 5 keys
    String topic = "test.compacted";
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
              "cleanup.policy", "compact",
              "segment.ms", "100",
              "min.cleanable.dirty.ratio", "0.01",
              "delete.retention.ms", "100"))))
          .all().get();
    }
    Map<String, Object> config = new HashMap<>(kafka.clientProperties());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < 300; i++) {
        producer.send(new ProducerRecord<>(topic, "key-" + (i % 5), "value-" + i));
      }
      producer.flush();

      // When time passes and more records roll the segments over (the cleaner runs every 500 ms)
      // Then the log cleaner removes the overwritten records
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        producer.send(new ProducerRecord<>(topic, "key-roll", "roll")).get();
        return countFromBeginning(kafka, topic) < 100;
      });
    }
  }

  @Test
  void shouldKeepDataAcrossARestartOnTheSameFolder() throws Exception {
    // Given a broker on a kept folder that holds a record
    Path folder = Files.createTempDirectory("tollway-kafka-kept-");
    try {
      String firstClusterId;
      try (EmbeddedKafka first = EmbeddedKafka.start(EmbeddedKafkaConfig.persistentIn(folder))) {
        firstClusterId = first.clusterId();
        createTopic(first, "test.kept");
        produce(first, "test.kept", "k", "still here");
      }

      // When a new broker starts on the same folder
      try (EmbeddedKafka second = EmbeddedKafka.start(EmbeddedKafkaConfig.persistentIn(folder))) {

        // Then it is the same cluster, the topics exist already and the record is there
        assertThat(second.clusterId()).isEqualTo(firstClusterId);
        assertThat(second.createdTopics()).isEmpty();
        assertThat(consumeAll(second, "test.kept", 1)).extracting(ConsumerRecord::value).containsExactly("still here");
      }
      assertThat(folder).isDirectory();
    } finally {
      Utils.delete(folder.toFile());
    }
  }

  @Test
  void shouldBeClosableTwiceAndDeleteItsTemporaryFolder() {
    // Given a broker on a temporary folder
    EmbeddedKafka broker = EmbeddedKafka.start();
    Path folder = broker.dataDir();
    assertThat(broker.temporary()).isTrue();
    assertThat(folder.resolve("server.properties")).isRegularFile();

    // When it is closed twice
    broker.close();
    broker.close();

    // Then it is closed and its folder is gone
    assertThat(broker.isClosed()).isTrue();
    assertThat(folder).doesNotExist();
  }

  @Test
  void shouldRefuseAFolderUsedByARunningBroker() {
    // Given the running broker's folder

    // When a second broker is started on it
    // Then it fails naming the lock
    assertThatThrownBy(() -> EmbeddedKafka.start(EmbeddedKafkaConfig.persistentIn(kafka.dataDir())))
        .isInstanceOfSatisfying(EmbeddedKafkaException.class,
            e -> assertThat(e.reason()).isEqualTo(EmbeddedKafkaException.Reason.DATA_FOLDER_LOCKED))
        .hasMessageContaining(kafka.dataDir().toString());
    assertThat(kafka.isClosed()).isFalse();
  }

  @Test
  void shouldRefuseADataFolderThatIsAFile() throws IOException {
    // Given a path that is a file
    Path file = Files.createTempFile("tollway-kafka-", ".txt");
    try {
      // When a broker is started on it
      // Then it fails naming the path
      assertThatThrownBy(() -> EmbeddedKafka.start(EmbeddedKafkaConfig.persistentIn(file)))
          .isInstanceOfSatisfying(EmbeddedKafkaException.class,
              e -> assertThat(e.reason()).isEqualTo(EmbeddedKafkaException.Reason.DATA_FOLDER_UNUSABLE))
          .hasMessageContaining(file.toString())
          .hasMessageContaining("not a folder");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void shouldRefuseABrokerPortThatIsTaken() throws IOException {
    // Given a port someone else listens on
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      // When a broker is asked to listen on it
      // Then it fails naming the port, and leaves no folder behind
      Set<Path> before = temporaryKafkaFolders();
      assertThatThrownBy(() -> EmbeddedKafka.start(EmbeddedKafkaConfig.temporary().withBrokerPort(port)))
          .isInstanceOfSatisfying(EmbeddedKafkaException.class,
              e -> assertThat(e.reason()).isEqualTo(EmbeddedKafkaException.Reason.PORT_IN_USE))
          .hasMessageContaining(String.valueOf(port));
      assertThat(temporaryKafkaFolders()).isSubsetOf(before);
    }
  }

  @Test
  void shouldRejectInvalidPortsAndTimeouts() {
    assertThatThrownBy(() -> EmbeddedKafkaConfig.temporary().withBrokerPort(70_000))
        .hasMessage("broker port: 70000 (expected: 0 for a free port, or 1-65535)");
    assertThatThrownBy(() -> EmbeddedKafkaConfig.temporary().withBrokerPort(9092).withControllerPort(9092))
        .hasMessage("controller port: 9092 (expected: a port other than the broker port)");
    assertThatThrownBy(() -> EmbeddedKafkaConfig.temporary().withStartupTimeout(Duration.ZERO))
        .hasMessage("startup timeout: PT0S (expected: a positive duration)");
  }

  private static Set<Path> temporaryKafkaFolders() throws IOException {
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith("tollway-kafka-")).collect(Collectors.toSet());
    }
  }

  private static long countFromBeginning(EmbeddedKafka broker, String topic) {
    Map<String, Object> config = new HashMap<>(broker.clientProperties());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long count = 0;
      while (consumer.position(partition) < end) {
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
      return count;
    }
  }

  private static void createTopic(EmbeddedKafka broker, String name) throws Exception {
    try (Admin admin = Admin.create(broker.clientProperties())) {
      admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
    }
  }

  private static void produce(EmbeddedKafka broker, String topic, String key, String value) throws Exception {
    Map<String, Object> config = new HashMap<>(broker.clientProperties());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private static List<ConsumerRecord<String, String>> consumeAll(EmbeddedKafka broker, String topic, int expected) {
    Map<String, Object> config = new HashMap<>(broker.clientProperties());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records.size() >= expected;
      });
    }
    return records;
  }
}

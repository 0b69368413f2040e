package dev.tollway.config;

import dev.tollway.config.publish.KafkaClients;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Kafka's mock clients for one config-service instance: an empty config topic, a recording producer. */
public final class MockKafka implements KafkaClients {

  public static final String TOPIC = "tollway.config.v1";

  public final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

  @Override
  public Producer<String, byte[]> producer(Map<String, Object> config) {
    return producer;
  }

  @Override
  public Consumer<String, byte[]> consumer(Map<String, Object> config) {
    return emptyTopics();
  }

  /** A consumer of the config, price and budget topics, all empty. */
  public static MockConsumer<String, byte[]> emptyTopics() {
    Map<String, List<ProducerRecord<String, byte[]>>> empty = new LinkedHashMap<>();
    for (String topic : List.of(TOPIC, Topics.PRICES.name(), Topics.BUDGETS.name())) {
      empty.put(topic, List.of());
    }
    return consumerOf(empty);
  }

  /**
   * A consumer of topics of one partition each that hold {@code records} (as a restarted service finds them):
   * the end offsets are set at once, the records are there from the first poll of a consumer assigned to them.
   */
  public static MockConsumer<String, byte[]> consumerOf(Map<String, List<ProducerRecord<String, byte[]>>> records) {
    MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    Map<TopicPartition, Long> beginning = new HashMap<>();
    Map<TopicPartition, Long> end = new HashMap<>();
    records.forEach((topic, held) -> {
      consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, null, new Node[0], new Node[0])));
      beginning.put(new TopicPartition(topic, 0), 0L);
      end.put(new TopicPartition(topic, 0), (long) held.size());
    });
    consumer.updateBeginningOffsets(beginning);
    consumer.updateEndOffsets(end);
    consumer.schedulePollTask(() -> records.forEach((topic, held) -> {
      if (consumer.assignment().contains(new TopicPartition(topic, 0))) {
        for (int i = 0; i < held.size(); i++) {
          consumer.addRecord(new ConsumerRecord<>(topic, 0, i, held.get(i).key(), held.get(i).value()));
        }
      }
    }));
    return consumer;
  }

  /** Every record written to the config topic. */
  public List<ProducerRecord<String, byte[]>> records() {
    return producer.history().stream().filter(r -> r.topic().equals(TOPIC)).toList();
  }

  /** The last snapshot written for a Gateway. */
  public GatewaySnapshot last(String gatewayKey) {
    List<ProducerRecord<String, byte[]>> records = records().stream().filter(r -> r.key().equals(gatewayKey)).toList();
    if (records.isEmpty() || records.get(records.size() - 1).value() == null) {
      throw new AssertionError("no snapshot of " + gatewayKey + " in " + records().size() + " records");
    }
    return Json.fromBytes(records.get(records.size() - 1).value(), GatewaySnapshot.class);
  }
}

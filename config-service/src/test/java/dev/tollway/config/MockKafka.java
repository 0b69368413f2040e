package dev.tollway.config;

import dev.tollway.config.publish.KafkaClients;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
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
    MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    for (String topic : List.of(TOPIC, Topics.PRICES.name(), Topics.BUDGETS.name())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, null, new Node[0], new Node[0])));
      consumer.updateBeginningOffsets(Map.of(partition, 0L));
      consumer.updateEndOffsets(Map.of(partition, 0L));
    }
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

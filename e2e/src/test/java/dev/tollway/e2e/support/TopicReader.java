package dev.tollway.e2e.support;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.serde.Json;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a compacted topic from its beginning (every partition, no consumer group), keeping the latest value of
 * every key — {@code null} for a key whose latest record is a tombstone.
 */
public final class TopicReader implements AutoCloseable {

  private static final Duration READ_TO_END = Duration.ofSeconds(10);

  private final KafkaConsumer<String, byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final Map<String, byte[]> latest = new HashMap<>();

  /** Assigns the topic's partitions as they are now; a topic that does not exist yet is read as empty. */
  public TopicReader(KafkaFixture kafka, String topic) {
    requireNonNull(topic, "topic");
    Map<String, Object> config = new HashMap<>(requireNonNull(kafka, "kafka").clientProperties());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Polls once more and answers everything read so far. */
  public Map<String, byte[]> read() {
    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
      latest.put(record.key(), record.value());
    }
    return latest;
  }

  /** Reads on up to the end offsets the topic has now (for at most 10 s) and answers everything read so far. */
  public Map<String, byte[]> readToEnd() {
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    long deadline = System.nanoTime() + READ_TO_END.toNanos();
    while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
      read();
    }
    return latest;
  }

  /** The latest value of a key, decoded; fails the test when there is none or it is a tombstone. */
  public <T> T latest(String key, Class<T> type) {
    byte[] value = latest.get(key);
    assertThat(value).as("latest value of " + key).isNotNull();
    return Json.fromBytes(value, type);
  }

  @Override
  public void close() {
    consumer.close();
  }
}

package dev.tollway.edge.snapshot;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.kafka.CompactedTopicReader;
import dev.tollway.schemas.kafka.KafkaSettings;
import dev.tollway.schemas.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the compacted config topic from the beginning, without a consumer group (every proxy reads every
 * partition), and applies each batch of records to the {@link RoutingState}. Runs on its own thread (a
 * {@link CompactedTopicReader}); Kafka being down only delays new snapshots — the proxy keeps serving the last
 * good ones.
 */
public final class SnapshotConsumer implements AutoCloseable {

  private static final CompactedTopicReader.Settings READING = new CompactedTopicReader.Settings(
      Topics.CONFIG.name(), "config", Duration.ofMillis(500), false, "its current snapshots");
  private static final Map<String, String> OWN_PROPERTIES = Map.of(
      ConsumerConfig.CLIENT_ID_CONFIG, "tollway-edge-config",
      ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));

  private final RoutingState state;
  private final CompactedTopicReader reader;

  public SnapshotConsumer(Supplier<Consumer<String, byte[]>> consumers, RoutingState state) {
    requireNonNull(consumers, "consumers");
    this.state = requireNonNull(state, "state");
    this.reader = new CompactedTopicReader(consumers, READING, (records, reachedEnd) -> apply(records));
  }

  /** A real Kafka consumer for the config topic: no group, no commits, the client settings (TLS, SASL) applied. */
  public static Supplier<Consumer<String, byte[]>> kafka(KafkaSettings kafka) {
    return CompactedTopicReader.kafka(kafka, OWN_PROPERTIES);
  }

  /** The consumer's properties: the shared Kafka settings, then this consumer's own settings over them. */
  public static Properties consumerProperties(String bootstrap, Map<String, String> clientProperties) {
    return CompactedTopicReader.consumerProperties(
        new KafkaSettings(bootstrap, new TreeMap<>(clientProperties)), OWN_PROPERTIES);
  }

  public void start() {
    reader.start();
  }

  private void apply(List<ConsumerRecord<String, byte[]>> records) {
    state.apply(records.stream().map(r -> new SnapshotRecord(r.key(), r.value())).toList());
  }

  @Override
  public void close() {
    reader.close();
  }
}

package dev.tollway.edge.snapshot;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.kafka.KafkaSettings;
import dev.tollway.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted config topic from the beginning, without a consumer group (every proxy reads every
 * partition), and applies each batch of records to the {@link RoutingState}. Runs on its own thread; Kafka
 * being down only delays new snapshots — the proxy keeps serving the last good ones.
 */
public final class SnapshotConsumer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotConsumer.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final Supplier<Consumer<String, byte[]>> consumers;
  private final RoutingState state;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running;
  private volatile @org.jspecify.annotations.Nullable Consumer<String, byte[]> consumer;
  private @org.jspecify.annotations.Nullable Thread thread;

  public SnapshotConsumer(Supplier<Consumer<String, byte[]>> consumers, RoutingState state) {
    this.consumers = requireNonNull(consumers, "consumers");
    this.state = requireNonNull(state, "state");
  }

  /** A real Kafka consumer for the config topic: no group, no commits. */
  public static Supplier<Consumer<String, byte[]>> kafka(KafkaSettings kafka) {
    return kafka(requireNonNull(kafka, "kafka").bootstrapServers(), kafka.clientProperties());
  }

  /**
   * A real Kafka consumer with further client properties (TLS, SASL): no group, no commits.
   */
  public static Supplier<Consumer<String, byte[]>> kafka(String bootstrap, Map<String, String> clientProperties) {
    Properties props = consumerProperties(bootstrap, clientProperties);
    return () -> new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** The consumer's properties: the shared Kafka settings, then this consumer's own settings over them. */
  public static Properties consumerProperties(String bootstrap, Map<String, String> clientProperties) {
    requireNonNull(bootstrap, "bootstrap");
    requireNonNull(clientProperties, "clientProperties");
    return new KafkaSettings(bootstrap, new java.util.TreeMap<>(clientProperties)).clientProperties(Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.CLIENT_ID_CONFIG, "tollway-edge-config",
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024)));
  }

  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    Thread t = new Thread(this::run, "tollway-config-consumer");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  private void run() {
    try {
      Consumer<String, byte[]> c = consumers.get();
      consumer = c;
      try (c) {
        assignAll(c);
        while (running) {
          ConsumerRecords<String, byte[]> records = c.poll(POLL);
          if (records.isEmpty()) {
            continue;
          }
          List<SnapshotRecord> batch = new ArrayList<>(records.count());
          for (ConsumerRecord<String, byte[]> record : records) {
            batch.add(new SnapshotRecord(record.key(), record.value()));
          }
          state.apply(batch);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("config consumer stopped; the proxy keeps its current snapshots", e);
    } finally {
      stopped.countDown();
    }
  }

  private void assignAll(Consumer<String, byte[]> c) throws InterruptedException {
    String topic = Topics.CONFIG.name();
    while (running) {
      List<PartitionInfo> partitions;
      try {
        partitions = c.partitionsFor(topic, Duration.ofSeconds(10));
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        LOG.warn("config topic {} not reachable yet: {}", topic, e.getMessage());
        partitions = List.of();
      }
      if (partitions != null && !partitions.isEmpty()) {
        List<TopicPartition> assigned =
            partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(assigned);
        c.seekToBeginning(assigned);
        LOG.info("reading {} partition(s) of {} from the beginning", assigned.size(), topic);
        return;
      }
      TimeUnit.MILLISECONDS.sleep(RETRY.toMillis());
    }
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      t = thread;
      if (t == null || !running) {
        running = false;
        return;
      }
      running = false;
    }
    Consumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        LOG.warn("config consumer did not stop within 10s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.tollway.edge.quota;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.kafka.KafkaSettings;
import dev.tollway.schemas.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code tollway.quota.v1} from the beginning, without a consumer group (every proxy reads every
 * partition), into the {@link QuotaBook}, on its own thread. A poll waits at most 250 ms, so a decision
 * published by usage-streams is enforced well within a second on every replica. A record that does not decode
 * is skipped and counted; the decisions already held stay.
 *
 * <p>With a {@link QuotaStore}, the decisions in force are written to disk after every change and loaded at
 * start, before the topic is read: a proxy restarted while Kafka is down keeps refusing blocked subjects. Once
 * the topic has been read to the end offsets it had at assignment, kept decisions it did not confirm are
 * dropped.
 */
public final class QuotaConsumer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QuotaConsumer.class);
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final Supplier<Consumer<String, byte[]>> consumers;
  private final QuotaBook book;
  private final @Nullable QuotaStore store;
  private final Clock clock;
  private final Counter applied;
  private final Counter rejected;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running;
  private volatile boolean caughtUp;
  private volatile @Nullable Consumer<String, byte[]> consumer;
  private @Nullable Thread thread;

  public QuotaConsumer(
      Supplier<Consumer<String, byte[]>> consumers, QuotaBook book, @Nullable QuotaStore store, Clock clock,
      MeterRegistry meters) {
    this.consumers = requireNonNull(consumers, "consumers");
    this.book = requireNonNull(book, "book");
    this.store = store;
    this.clock = requireNonNull(clock, "clock");
    this.applied = Counter.builder("tollway.quota.records").tag("outcome", "applied")
        .description("quota decision records applied").register(meters);
    this.rejected = Counter.builder("tollway.quota.records").tag("outcome", "rejected")
        .description("quota decision records skipped because they do not decode").register(meters);
    Gauge.builder("tollway.quota.blocked.subjects", book, b -> b.blockedCount(clock.instant()))
        .description("subjects (API keys, teams, routes) blocked by a budget now").register(meters);
  }

  /** A real Kafka consumer for the quota topic: no group, no commits. */
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
        ConsumerConfig.CLIENT_ID_CONFIG, "tollway-edge-quota",
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100"));
  }

  /** Loads the kept decisions, then starts reading the topic. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    loadKept();
    running = true;
    Thread t = new Thread(this::run, "tollway-quota-consumer");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** Whether the topic has been read up to where it was when the proxy started reading it. */
  public boolean caughtUp() {
    return caughtUp;
  }

  private void loadKept() {
    if (store == null) {
      return;
    }
    try {
      List<QuotaDecision> kept = store.load();
      book.loadKept(kept);
      if (!kept.isEmpty()) {
        LOG.info("loaded {} quota decision(s) from {}", kept.size(), store.file());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read the quota decisions kept in {}: {}", store.file(), e.getMessage());
    }
  }

  private void run() {
    try {
      Consumer<String, byte[]> c = consumers.get();
      consumer = c;
      try (c) {
        Map<TopicPartition, Long> end = assignAll(c);
        while (running) {
          ConsumerRecords<String, byte[]> records = c.poll(POLL);
          boolean changed = false;
          for (ConsumerRecord<String, byte[]> record : records) {
            changed |= apply(record);
          }
          if (!caughtUp && end != null && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
            caughtUp = true;
            int dropped = book.dropUnconfirmed();
            changed |= dropped > 0;
            LOG.info("quota decisions read: {} subject(s) blocked now", book.blockedCount(clock.instant()));
          }
          if (changed) {
            save();
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("quota consumer stopped; the proxy keeps the decisions it holds", e);
    } finally {
      stopped.countDown();
    }
  }

  private boolean apply(ConsumerRecord<String, byte[]> record) {
    QuotaDecision decision;
    try {
      decision = Topics.QUOTA.serde().deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      rejected.increment();
      LOG.warn("quota record {} skipped: {}", record.key(), e.getMessage());
      return false;
    }
    if (!book.apply(record.key(), decision)) {
      rejected.increment();
      LOG.warn("quota record skipped: key {} is not <subjectType>:<subject>|<budget> of its decision", record.key());
      return false;
    }
    applied.increment();
    if (decision == null) {
      LOG.info("quota lifted key={}", record.key());
    } else if (clock.instant().isBefore(decision.blockedUntil())) {
      LOG.info("quota blocks key={} until={}", record.key(), decision.blockedUntil());
    }
    return true;
  }

  private void save() {
    if (store == null) {
      return;
    }
    try {
      List<QuotaDecision> all = new ArrayList<>(book.all());
      all.sort(Comparator.comparing(QuotaDecision::key));
      store.save(all);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot keep the quota decisions in {}: {}", store.file(), e.getMessage());
    }
  }

  /** Assigns every partition from the beginning; returns the end offsets at that moment. */
  private @Nullable Map<TopicPartition, Long> assignAll(Consumer<String, byte[]> c) throws InterruptedException {
    String topic = Topics.QUOTA.name();
    while (running) {
      List<PartitionInfo> partitions;
      try {
        partitions = c.partitionsFor(topic, Duration.ofSeconds(10));
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        LOG.warn("quota topic {} not reachable yet: {}", topic, e.getMessage());
        partitions = List.of();
      }
      if (partitions != null && !partitions.isEmpty()) {
        List<TopicPartition> assigned =
            partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(assigned);
        c.seekToBeginning(assigned);
        try {
          Map<TopicPartition, Long> end = c.endOffsets(assigned, Duration.ofSeconds(10));
          LOG.info("reading {} partition(s) of {} from the beginning", assigned.size(), topic);
          return end;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          LOG.warn("end offsets of quota topic {} not known yet: {}", topic, e.getMessage());
        }
      }
      TimeUnit.MILLISECONDS.sleep(RETRY.toMillis());
    }
    return null;
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
        LOG.warn("quota consumer did not stop within 10s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

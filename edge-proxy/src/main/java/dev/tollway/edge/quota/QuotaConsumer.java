package dev.tollway.edge.quota;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.kafka.CompactedTopicReader;
import dev.tollway.schemas.kafka.KafkaSettings;
import dev.tollway.schemas.quota.QuotaDecision;
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
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code tollway.quota.v1} from the beginning, without a consumer group (every proxy reads every
 * partition), into the {@link QuotaBook}, on its own thread (a {@link CompactedTopicReader}). A poll waits at
 * most 250 ms, so a decision published by usage-streams is enforced well within a second on every replica. A
 * record that does not decode is skipped and counted; the decisions already held stay.
 *
 * <p>With a {@link QuotaStore}, the decisions in force are written to disk after every change and loaded at
 * start, before the topic is read: a proxy restarted while Kafka is down keeps refusing blocked subjects. Once
 * the topic has been read to the end offsets it had at assignment, kept decisions it did not confirm are
 * dropped.
 */
public final class QuotaConsumer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QuotaConsumer.class);
  private static final CompactedTopicReader.Settings READING = new CompactedTopicReader.Settings(
      Topics.QUOTA.name(), "quota", Duration.ofMillis(250), true, "the decisions it holds");
  private static final Map<String, String> OWN_PROPERTIES = Map.of(
      ConsumerConfig.CLIENT_ID_CONFIG, "tollway-edge-quota",
      ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");

  private final QuotaBook book;
  private final @Nullable QuotaStore store;
  private final Clock clock;
  private final Counter applied;
  private final Counter rejected;
  private final CompactedTopicReader reader;
  private boolean started;

  public QuotaConsumer(
      Supplier<Consumer<String, byte[]>> consumers, QuotaBook book, @Nullable QuotaStore store, Clock clock,
      MeterRegistry meters) {
    requireNonNull(consumers, "consumers");
    this.book = requireNonNull(book, "book");
    this.store = store;
    this.clock = requireNonNull(clock, "clock");
    this.applied = Counter.builder("tollway.quota.records").tag("outcome", "applied")
        .description("quota decision records applied").register(meters);
    this.rejected = Counter.builder("tollway.quota.records").tag("outcome", "rejected")
        .description("quota decision records skipped because they do not decode").register(meters);
    Gauge.builder("tollway.quota.blocked.subjects", book, b -> b.blockedCount(clock.instant()))
        .description("subjects (API keys, teams, routes) blocked by a budget now").register(meters);
    this.reader = new CompactedTopicReader(consumers, READING, this::handle);
  }

  /** A real Kafka consumer for the quota topic: no group, no commits, the client settings (TLS, SASL) applied. */
  public static Supplier<Consumer<String, byte[]>> kafka(KafkaSettings kafka) {
    return CompactedTopicReader.kafka(kafka, OWN_PROPERTIES);
  }

  /** The consumer's properties: the shared Kafka settings, then this consumer's own settings over them. */
  public static Properties consumerProperties(String bootstrap, Map<String, String> clientProperties) {
    return CompactedTopicReader.consumerProperties(
        new KafkaSettings(bootstrap, new TreeMap<>(clientProperties)), OWN_PROPERTIES);
  }

  /** Loads the kept decisions, then starts reading the topic. */
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    loadKept();
    reader.start();
  }

  /** Whether the topic has been read up to where it was when the proxy started reading it. */
  public boolean caughtUp() {
    return reader.reachedEnd();
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

  private void handle(List<ConsumerRecord<String, byte[]>> records, boolean reachedEnd) {
    boolean changed = false;
    for (ConsumerRecord<String, byte[]> record : records) {
      changed |= apply(record);
    }
    if (reachedEnd) {
      int dropped = book.dropUnconfirmed();
      changed |= dropped > 0;
      LOG.info("quota decisions read: {} subject(s) blocked now", book.blockedCount(clock.instant()));
    }
    if (changed) {
      save();
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

  @Override
  public void close() {
    reader.close();
  }
}

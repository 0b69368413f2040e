package dev.tollway.edge.kafka;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one compacted topic from the beginning, without a consumer group (every proxy reads every partition),
 * on its own thread, and hands what each poll brought to a {@link Handler}. Until the topic exists (or while
 * Kafka cannot be reached) it retries once a second; Kafka being down only delays new records — what the owner
 * already holds stays. Optionally it notes the end offsets the topic had at assignment and tells the handler,
 * once, when it has read up to them. {@link #close()} wakes the consumer and waits for the thread to end.
 */
public final class CompactedTopicReader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicReader.class);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /** What the owner does with what is read; called on the reader's thread only. */
  @FunctionalInterface
  public interface Handler {

    /**
     * One poll's records, in order. Called for every poll that returned records, and for the poll after which
     * the reader first stood at the end offsets the topic had at assignment ({@code reachedEnd} true then, and
     * only then; never without {@link Settings#watchEnd()}). A runtime exception stops the reader.
     */
    void handle(List<ConsumerRecord<String, byte[]>> records, boolean reachedEnd);
  }

  /**
   * How a reader reads.
   *
   * @param topic the compacted topic
   * @param label the short name in the reader's thread name and log lines ({@code config}, {@code quota})
   * @param poll how long one poll waits for records
   * @param watchEnd whether to note the end offsets at assignment and report reaching them
   * @param keeps what the owner keeps serving when the reader stops on an error, for the log line
   */
  public record Settings(String topic, String label, Duration poll, boolean watchEnd, String keeps) {

    public Settings {
      requireNonNull(topic, "topic");
      requireNonNull(label, "label");
      requireNonNull(poll, "poll");
      requireNonNull(keeps, "keeps");
      if (poll.isNegative() || poll.isZero()) {
        throw new IllegalArgumentException("poll: " + poll + " (expected: a positive duration)");
      }
    }
  }

  private final Supplier<Consumer<String, byte[]>> consumers;
  private final Settings settings;
  private final Handler handler;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running;
  private volatile boolean reachedEnd;
  private volatile @Nullable Consumer<String, byte[]> consumer;
  private @Nullable Thread thread;

  public CompactedTopicReader(Supplier<Consumer<String, byte[]>> consumers, Settings settings, Handler handler) {
    this.consumers = requireNonNull(consumers, "consumers");
    this.settings = requireNonNull(settings, "settings");
    this.handler = requireNonNull(handler, "handler");
  }

  /**
   * A real Kafka consumer of string keys and raw values: no group, no commits, from the earliest offset.
   *
   * @param ownProperties this consumer's own settings (client id and tuning), over the shared ones
   */
  public static Supplier<Consumer<String, byte[]>> kafka(KafkaSettings kafka, Map<String, String> ownProperties) {
    Properties props = consumerProperties(kafka, ownProperties);
    return () -> new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * The consumer's properties: the shared Kafka settings (TLS, SASL), then no auto-commit and the earliest
   * offset, then {@code ownProperties} over them.
   */
  public static Properties consumerProperties(KafkaSettings kafka, Map<String, String> ownProperties) {
    requireNonNull(kafka, "kafka");
    requireNonNull(ownProperties, "ownProperties");
    Map<String, String> own = new HashMap<>();
    own.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    own.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    own.putAll(ownProperties);
    return kafka.clientProperties(own);
  }

  /** Starts the reading thread; a second call does nothing. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    Thread t = new Thread(this::run, "tollway-" + settings.label() + "-consumer");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** Whether the topic has been read up to the end offsets it had at assignment (with {@code watchEnd}). */
  public boolean reachedEnd() {
    return reachedEnd;
  }

  private void run() {
    try {
      Consumer<String, byte[]> c = consumers.get();
      consumer = c;
      try (c) {
        Map<TopicPartition, Long> end = assignAll(c);
        while (running) {
          ConsumerRecords<String, byte[]> records = c.poll(settings.poll());
          boolean endNow = !reachedEnd && end != null
              && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
          if (records.isEmpty() && !endNow) {
            continue;
          }
          List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
          records.forEach(batch::add);
          if (endNow) {
            reachedEnd = true;
          }
          handler.handle(batch, endNow);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("{} consumer stopped; the proxy keeps {}", settings.label(), settings.keeps(), e);
    } finally {
      stopped.countDown();
    }
  }

  /**
   * Assigns every partition from the beginning, retrying while the topic is missing or unreachable; returns
   * the end offsets at that moment with {@code watchEnd}, else {@code null} (and {@code null} when closed
   * first).
   */
  private @Nullable Map<TopicPartition, Long> assignAll(Consumer<String, byte[]> c) throws InterruptedException {
    String topic = settings.topic();
    while (running) {
      List<PartitionInfo> partitions;
      try {
        partitions = c.partitionsFor(topic, METADATA_TIMEOUT);
      } catch (TimeoutException e) {
        LOG.warn("{} topic {} not reachable yet: {}", settings.label(), topic, e.getMessage());
        partitions = List.of();
      }
      if (partitions != null && !partitions.isEmpty()) {
        List<TopicPartition> assigned =
            partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(assigned);
        c.seekToBeginning(assigned);
        if (!settings.watchEnd()) {
          LOG.info("reading {} partition(s) of {} from the beginning", assigned.size(), topic);
          return null;
        }
        try {
          Map<TopicPartition, Long> end = c.endOffsets(assigned, METADATA_TIMEOUT);
          LOG.info("reading {} partition(s) of {} from the beginning", assigned.size(), topic);
          return end;
        } catch (TimeoutException e) {
          LOG.warn("end offsets of {} topic {} not known yet: {}", settings.label(), topic, e.getMessage());
        }
      }
      TimeUnit.MILLISECONDS.sleep(RETRY.toMillis());
    }
    return null;
  }

  /** Stops the thread: wakes a poll in progress and waits up to 10 s for the consumer to close. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      boolean reading = thread != null && running;
      running = false;
      if (!reading) {
        return;
      }
    }
    Consumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      if (!stopped.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} consumer did not stop within 10s", settings.label());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

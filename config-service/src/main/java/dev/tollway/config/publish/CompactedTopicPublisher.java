package dev.tollway.config.publish;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.serde.JsonSerde;
import dev.tollway.schemas.topic.TopicDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a compacted topic of the contract hold exactly a given set of keyed records, for any value type
 * (snapshots, through {@link SnapshotPublisher}; prices; budgets): what the topic holds is learned once by
 * reading it to its end; each publish then writes only the records whose JSON bytes differ from what the
 * topic holds and a tombstone for every key that is gone, and waits for the acknowledgements. A failed write
 * leaves its key as it was, so the next publish retries it. The producer is shared and not closed here. Not
 * thread-safe: one worker uses it.
 *
 * @param <V> the value type
 */
public final class CompactedTopicPublisher<V> {

  private static final Logger log = LoggerFactory.getLogger(CompactedTopicPublisher.class);

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final JsonSerde<V> serde;
  private final Duration timeout;
  private final SortedMap<String, byte[]> onTopic = new TreeMap<>();
  private boolean learned;

  /**
   * @param producer an idempotent producer ({@code acks=all}) of string keys and byte values
   * @param topic the topic, which must be compacted
   * @param timeout how long to wait for the acknowledgements, and for the topic to be read to its end
   */
  public CompactedTopicPublisher(Producer<String, byte[]> producer, TopicDefinition<V> topic, Duration timeout) {
    this.producer = requireNonNull(producer, "producer");
    requireNonNull(topic, "topic");
    if (!topic.compacted()) {
      throw new IllegalArgumentException("topic " + topic.name() + " is not compacted");
    }
    this.topic = topic.name();
    this.serde = topic.serde();
    this.timeout = requireNonNull(timeout, "timeout");
  }

  /** The topic's name. */
  public String topic() {
    return topic;
  }

  /** Whether {@link #learn} has succeeded. */
  public boolean learned() {
    return learned;
  }

  /**
   * Reads the topic from the beginning to its current end (all partitions assigned, no consumer group) and
   * remembers the latest value of every key; a tombstone forgets the key.
   *
   * @return how many keys the topic holds
   * @throws IllegalStateException when the topic does not exist or cannot be read to its end in time
   */
  public int learn(Consumer<String, byte[]> consumer) {
    requireNonNull(consumer, "consumer");
    List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
    if (partitions == null || partitions.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist (it is created from the definitions "
          + "in schemas/ by the local launcher or the deployment)");
    }
    List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(assigned);
    consumer.seekToBeginning(assigned);
    Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    SortedMap<String, byte[]> found = new TreeMap<>();
    while (!reachedEnd(consumer, end)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " could not be read to its end within " + timeout);
      }
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        if (record.key() == null) {
          continue;
        }
        if (record.value() == null) {
          found.remove(record.key());
        } else {
          found.put(record.key(), record.value());
        }
      }
    }
    onTopic.clear();
    onTopic.putAll(found);
    learned = true;
    log.info("topic {} holds {} record(s)", topic, onTopic.size());
    return onTopic.size();
  }

  private static boolean reachedEnd(Consumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The records the topic holds, as far as this publisher knows, decoded; a record that no longer decodes is
   * left out. Empty before {@link #learn}.
   */
  public SortedMap<String, V> current() {
    SortedMap<String, V> current = new TreeMap<>();
    onTopic.forEach((key, bytes) -> {
      try {
        current.put(key, serde.deserialize(topic, bytes));
      } catch (RuntimeException e) {
        log.debug("topic {} key {} does not decode: {}", topic, key, e.toString());
      }
    });
    return current;
  }

  /** The keys the topic holds a record for, as far as this publisher knows. */
  public SortedSet<String> published() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(onTopic.keySet()));
  }

  /**
   * Makes the topic hold exactly {@code records}: writes those whose bytes differ from what the topic holds and
   * tombstones the keys not in the map. Waits for every write to be acknowledged.
   *
   * @throws IllegalStateException when the topic has not been {@linkplain #learn learned}
   */
  public PublishResult publish(SortedMap<String, V> records) {
    requireNonNull(records, "records");
    if (!learned) {
      throw new IllegalStateException("topic " + topic + " has not been read yet");
    }
    List<Write> writes = new ArrayList<>();
    int unchanged = 0;
    SortedMap<String, String> failed = new TreeMap<>();
    for (Map.Entry<String, V> e : records.entrySet()) {
      byte[] bytes;
      try {
        bytes = serde.serialize(topic, e.getValue());
      } catch (RuntimeException ex) {
        failed.put(e.getKey(), "cannot be encoded: " + ex.getMessage());
        continue;
      }
      if (Arrays.equals(onTopic.get(e.getKey()), bytes)) {
        unchanged++;
      } else {
        writes.add(new Write(e.getKey(), bytes));
      }
    }
    for (String key : onTopic.keySet()) {
      if (!records.containsKey(key)) {
        writes.add(new Write(key, null));
      }
    }
    send(writes);
    List<String> published = new ArrayList<>();
    List<String> tombstoned = new ArrayList<>();
    for (Write write : writes) {
      if (write.error != null) {
        failed.put(write.key, write.error);
      } else if (write.value == null) {
        onTopic.remove(write.key);
        tombstoned.add(write.key);
      } else {
        onTopic.put(write.key, write.value);
        published.add(write.key);
      }
    }
    return new PublishResult(published, tombstoned, unchanged, failed);
  }

  private void send(List<Write> writes) {
    for (Write write : writes) {
      try {
        write.future = producer.send(new ProducerRecord<>(topic, write.key, write.value));
      } catch (RuntimeException e) {
        write.error = describe(e);
      }
    }
    if (writes.isEmpty()) {
      return;
    }
    try {
      producer.flush();
    } catch (RuntimeException e) {
      log.debug("flush failed: {}", e.toString());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Write write : writes) {
      Future<RecordMetadata> future = write.future;
      if (future == null) {
        continue;
      }
      try {
        future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        write.error = describe(e.getCause() == null ? e : e.getCause());
      } catch (TimeoutException e) {
        write.error = "not acknowledged within " + timeout;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        write.error = "interrupted while waiting for the acknowledgement";
      }
    }
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** One record to write; a {@code null} value is a tombstone. */
  private static final class Write {
    final String key;
    final byte @Nullable [] value;
    @Nullable Future<RecordMetadata> future;
    @Nullable String error;

    Write(String key, byte @Nullable [] value) {
      this.key = key;
      this.value = value;
    }
  }
}

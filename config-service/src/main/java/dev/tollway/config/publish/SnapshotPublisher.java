package dev.tollway.config.publish;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.topic.Topics;
import java.time.Duration;
import java.util.SortedMap;
import java.util.SortedSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes snapshots to {@code tollway.config.v1} (key {@code <namespace>/<gateway>}, value the snapshot's
 * JSON bytes), writing only what differs from what the topic holds, and a tombstone for a Gateway that is
 * gone — a {@link CompactedTopicPublisher} of the config topic that owns its producer. What the topic holds is
 * learned once at start by reading it to its end, so a restarted service republishes nothing unchanged and
 * tombstones Gateways deleted while it was down; it publishes nothing before that. A failed write
 * leaves the Gateway marked as not published, so the next publish retries it. Not thread-safe: one worker uses
 * it.
 */
public final class SnapshotPublisher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);

  private final Producer<String, byte[]> producer;
  private final Duration timeout;
  private final CompactedTopicPublisher<GatewaySnapshot> topic;

  /**
   * @param producer an idempotent producer ({@code acks=all}) of string keys and byte values, closed by
   *     {@link #close()}
   * @param timeout how long to wait for a write to be acknowledged, and for the topic to be read at start
   */
  public SnapshotPublisher(Producer<String, byte[]> producer, Duration timeout) {
    this.producer = requireNonNull(producer, "producer");
    this.timeout = requireNonNull(timeout, "timeout");
    this.topic = new CompactedTopicPublisher<>(producer, Topics.CONFIG, timeout);
  }

  /**
   * Reads the topic from the beginning to its current end (all partitions assigned, no consumer group) and
   * remembers the latest value of every key; tombstones forget the key.
   *
   * @return how many Gateways the topic holds
   * @throws IllegalStateException when the topic does not exist or cannot be read to its end in time
   */
  public int learn(Consumer<String, byte[]> consumer) {
    int held = topic.learn(consumer);
    log.info("gateway snapshots on {}: {}", topic.topic(), topic.published());
    return held;
  }

  /** The Gateway keys the topic holds a snapshot for, as far as this publisher knows. */
  public SortedSet<String> published() {
    return topic.published();
  }

  /**
   * Makes the topic hold exactly {@code snapshots}: writes those whose bytes differ from what the topic
   * holds and tombstones the Gateways not in the map. Waits for every write to be acknowledged.
   *
   * @throws IllegalStateException when the topic has not been {@linkplain #learn learned}
   */
  public PublishResult publish(SortedMap<String, GatewaySnapshot> snapshots) {
    return topic.publish(requireNonNull(snapshots, "snapshots"));
  }

  @Override
  public void close() {
    producer.close(timeout);
  }
}

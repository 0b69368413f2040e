package dev.tollway.edge.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollway.edge.testing.PacedMockConsumer;
import dev.tollway.schemas.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One compacted topic read from the beginning on its own thread: waiting for the topic, catch-up, closing. */
class CompactedTopicReaderTest {

  private static final String TOPIC = "tollway.test.v1";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  /** What the handler saw, one entry per call: the keys of the batch, and whether the end was reached. */
  private record Call(List<String> keys, boolean reachedEnd) {}

  private final PacedMockConsumer<String, byte[]> consumer = new PacedMockConsumer<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<CompactedTopicReader> readers = new ArrayList<>();

  @AfterEach
  void closeReaders() {
    readers.forEach(CompactedTopicReader::close);
  }

  private CompactedTopicReader reader(boolean watchEnd) {
    CompactedTopicReader reader = new CompactedTopicReader(
        () -> consumer,
        new CompactedTopicReader.Settings(TOPIC, "test", Duration.ofMillis(50), watchEnd, "what it holds"),
        (records, reachedEnd) -> calls.add(new Call(records.stream().map(ConsumerRecord::key).toList(), reachedEnd)));
    readers.add(reader);
    return reader;
  }

  private void createTopic(long... endOffsets) {
    List<PartitionInfo> partitions = new ArrayList<>();
    for (int p = 0; p < endOffsets.length; p++) {
      partitions.add(new PartitionInfo(TOPIC, p, Node.noNode(), new Node[0], new Node[0]));
    }
    consumer.updatePartitions(TOPIC, partitions);
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.updateEndOffsets(endOffsets.length == 1 ? Map.of(P0, endOffsets[0])
        : Map.of(P0, endOffsets[0], P1, endOffsets[1]));
  }

  private void send(TopicPartition partition, long offset, String key) {
    consumer.addRecord(new ConsumerRecord<>(TOPIC, partition.partition(), offset, key, key.getBytes(UTF_8)));
  }

  private List<String> keysSeen() {
    return calls.stream().flatMap(c -> c.keys().stream()).toList();
  }

  @Test
  void shouldWaitForAMissingTopicAndReadItFromTheBeginningOnceCreated() {
    // Given a reader started before the topic exists
    CompactedTopicReader reader = reader(false);
    reader.start();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> consumer.assignment().isEmpty());

    // When the topic is created, with two partitions
    createTopic(0, 0);

    // Then every partition is assigned from the beginning and its records are handed on
    await().atMost(Duration.ofSeconds(5)).until(() -> consumer.assignment().size() == 2);
    assertThat(consumer.assignment()).containsExactlyInAnyOrder(P0, P1);
    send(P0, 0, "a");
    send(P1, 0, "b");
    await().atMost(Duration.ofSeconds(5)).until(() -> keysSeen().size() == 2);
    assertThat(keysSeen()).containsExactlyInAnyOrder("a", "b");
    assertThat(calls).extracting(Call::reachedEnd).containsOnly(false);
    assertThat(reader.reachedEnd()).isFalse();
  }

  @Test
  void shouldReportReachingTheEndOnceAndKeepHandingOnLaterRecords() {
    // Given a topic that holds two records on one partition and none on the other
    createTopic(2, 0);
    CompactedTopicReader reader = reader(true);
    reader.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> consumer.assignment().size() == 2);
    assertThat(reader.reachedEnd()).isFalse();

    // When the two records are read, then a third arrives
    send(P0, 0, "a");
    send(P0, 1, "b");
    await().atMost(Duration.ofSeconds(5)).until(reader::reachedEnd);
    send(P1, 0, "c");
    await().atMost(Duration.ofSeconds(5)).until(() -> keysSeen().size() == 3);

    // Then the end is reported exactly once, with the batch that reached it, and never before it
    assertThat(keysSeen()).containsExactly("a", "b", "c");
    assertThat(calls).filteredOn(Call::reachedEnd).hasSize(1);
    int endCall = calls.indexOf(calls.stream().filter(Call::reachedEnd).findFirst().orElseThrow());
    assertThat(calls.subList(0, endCall + 1).stream().flatMap(c -> c.keys().stream())).containsExactly("a", "b");
    assertThat(calls.get(calls.size() - 1)).isEqualTo(new Call(List.of("c"), false));
  }

  @Test
  void shouldReportTheEndOfAnEmptyTopicWithAnEmptyBatch() {
    // Given an empty topic
    createTopic(0);
    CompactedTopicReader reader = reader(true);

    // When
    reader.start();

    // Then
    await().atMost(Duration.ofSeconds(5)).until(reader::reachedEnd);
    assertThat(calls).containsExactly(new Call(List.of(), true));
  }

  @Test
  void shouldStopPollingAndCloseTheConsumerWhenClosed() {
    // Given a reader polling an empty topic
    createTopic(0);
    CompactedTopicReader reader = reader(false);
    reader.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> !consumer.assignment().isEmpty());

    // When
    long before = System.nanoTime();
    reader.close();

    // Then the poll is woken, the consumer closed, and close returned well before its 10 s limit
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
    assertThat(consumer.closed()).isTrue();
    assertThat(threadAlive("tollway-test-consumer")).isFalse();
    reader.close();
  }

  @Test
  void shouldStopWaitingForAMissingTopicWhenClosed() {
    // Given a reader waiting for a topic that does not exist
    CompactedTopicReader reader = reader(true);
    reader.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> threadAlive("tollway-test-consumer"));

    // When
    reader.close();

    // Then
    assertThat(consumer.closed()).isTrue();
    assertThat(threadAlive("tollway-test-consumer")).isFalse();
    assertThat(calls).isEmpty();
  }

  @Test
  void shouldStopAndCloseTheConsumerWhenTheHandlerFails() {
    // Given a handler that fails on the first record
    createTopic(0);
    AtomicInteger handled = new AtomicInteger();
    CompactedTopicReader reader = new CompactedTopicReader(
        () -> consumer,
        new CompactedTopicReader.Settings(TOPIC, "test", Duration.ofMillis(50), false, "what it holds"),
        (records, reachedEnd) -> {
          handled.incrementAndGet();
          throw new IllegalStateException("broken handler");
        });
    readers.add(reader);
    reader.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> !consumer.assignment().isEmpty());

    // When
    send(P0, 0, "a");

    // Then the reader stops reading and lets go of the consumer
    await().atMost(Duration.ofSeconds(5)).until(consumer::closed);
    assertThat(handled).hasValue(1);
  }

  @Test
  void shouldSetTheConsumerPropertiesOverTheSharedOnes() {
    // When
    var props = CompactedTopicReader.consumerProperties(
        new KafkaSettings("broker:9092",
            new TreeMap<>(Map.of("security.protocol", "SSL", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true"))),
        Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "tollway-edge-test"));

    // Then
    assertThat(props)
        .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
        .containsEntry("security.protocol", "SSL")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
        .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
        .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "tollway-edge-test")
        .doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
  }

  @Test
  void shouldRejectANonPositivePoll() {
    assertThatThrownBy(() -> new CompactedTopicReader.Settings(TOPIC, "test", Duration.ZERO, false, "it"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("poll: PT0S (expected: a positive duration)");
  }

  private static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }
}

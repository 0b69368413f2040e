package dev.tollway.edge.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.edge.trace.TraceContext;
import dev.tollway.edge.trace.Tracing;
import dev.tollway.edge.usage.Spool.SpooledRecord;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.UsageEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage spool on disk and the publisher's way through a Kafka outage. */
class UsageSpoolTest {

  private static final TraceContext TRACE =
      TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

  @TempDir Path dir;

  private static SpooledRecord record(int i) {
    return new SpooledRecord("req-" + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
  }

  private static UsageEvent event(String requestId) {
    return new RequestUsage(requestId, Tracing.off().startRequest(TRACE, Instant.EPOCH),
        Instant.parse("2026-11-26T17:00:00Z"), "default/gw")
        .toEvent("event-" + requestId, Instant.parse("2026-11-26T17:00:01Z"), 200);
  }

  @Test
  void shouldReplayInOrderAcrossSegmentsAndForgetWhatWasAcknowledged() {
    // Given a spool with small segments holding 100 records
    DiskSpool spool = new DiskSpool(dir, 1 << 20, 512, () -> {});
    for (int i = 0; i < 100; i++) {
      assertThat(spool.append(record(i))).isTrue();
    }

    // When 30 are read and acknowledged, and the spool is reopened
    assertThat(spool.peek(30)).extracting(SpooledRecord::key).startsWith("req-0", "req-1").endsWith("req-29");
    spool.acknowledge(30);
    spool.close();
    DiskSpool reopened = new DiskSpool(dir, 1 << 20, 512, () -> {});

    // Then the rest comes back in order, and acknowledged segments are gone from disk
    List<SpooledRecord> rest = reopened.peek(1000);
    assertThat(rest).hasSize(70);
    assertThat(rest.get(0).key()).isEqualTo("req-30");
    assertThat(new String(rest.get(69).value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":99}");
    reopened.acknowledge(70);
    assertThat(reopened.isEmpty()).isTrue();
    reopened.close();
  }

  @Test
  void shouldCutTheLastSegmentAtADamagedRecordWhenItOpensAndCountIt() throws Exception {
    // Given records on disk, then a damaged byte in the first segment and half a record at the end
    DiskSpool spool = new DiskSpool(dir, 1 << 20, 1 << 20, () -> {});
    for (int i = 0; i < 10; i++) {
      spool.append(record(i));
    }
    spool.close();
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
    }
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.seek(file.length());
      file.write(new byte[] {'T', 0, 0, 0, 50, 1, 2});
      file.seek(9 + 4 + 5 + 2);
      file.write('X');
    }
    AtomicInteger corrupt = new AtomicInteger();

    // When it is reopened and read
    DiskSpool reopened = new DiskSpool(dir, 1 << 20, 1 << 20, corrupt::incrementAndGet);
    List<SpooledRecord> read = reopened.peek(100);

    // Then the last segment was cut at the damaged record (what follows it cannot be trusted), and it was counted
    assertThat(read).isEmpty();
    assertThat(corrupt.get()).isEqualTo(1);
    assertThat(Files.size(segment)).isLessThan(9 + 4 + 5 + 2);
    reopened.acknowledge(0);
    assertThat(reopened.isEmpty()).isTrue();
  }

  @Test
  void shouldKeepEveryEventThroughAnOutageAndDeliverEachOnceItEnds() throws Exception {
    // Given a producer that fails every send (Kafka is down), and a disk spool
    MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    KafkaUsagePublisher publisher = KafkaUsagePublisher.create(
        producer, 100, dir, 1 << 20, UsageOverflow.DROP, Clock.systemUTC(), new SimpleMeterRegistry());

    // When 50 events arrive during the outage
    for (int i = 0; i < 50; i++) {
      publisher.submit(event("out-" + i));
    }
    publisher.step(0);
    while (producer.errorNext(new TimeoutException("broker down"))) {
      // every send of the outage fails
    }
    for (int i = 0; i < 20; i++) {
      publisher.step(0);
      while (producer.errorNext(new TimeoutException("broker down"))) {
        // still down
      }
    }

    // Then they are all in the spool, none lost
    assertThat(publisher.degraded()).isTrue();
    assertThat(publisher.spooledEvents()).isEqualTo(50);

    // When Kafka is back: the spool is replayed and acknowledged
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
      publisher.step(0);
      while (producer.completeNext()) {
        // delivered
      }
      return publisher.spooledEvents() == 0;
    });

    // Then each event was delivered exactly once, in order, and direct publishing resumed
    List<String> delivered = producer.history().stream()
        .map(r -> Topics.USAGE.serde().deserialize(r.topic(), r.value()).requestId()).toList();
    List<String> expected = java.util.stream.IntStream.range(0, 50).mapToObj(i -> "out-" + i).toList();
    assertThat(delivered.subList(delivered.size() - 50, delivered.size())).containsExactlyElementsOf(expected);
    publisher.step(0);
    assertThat(publisher.degraded()).isFalse();
    assertThat(publisher.spooledEvents()).isZero();
    publisher.close(java.time.Duration.ofSeconds(1));
  }

  @Test
  void shouldRefuseNewRequestsWhenFullAndFailClosedButNotWhenDropping() {
    MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    KafkaUsagePublisher failClosed = new KafkaUsagePublisher(
        producer, 20, new MemorySpool(1), UsageOverflow.FAIL_CLOSED, Clock.systemUTC(), new SimpleMeterRegistry());
    KafkaUsagePublisher dropping = new KafkaUsagePublisher(
        producer, 20, new MemorySpool(1), UsageOverflow.DROP, Clock.systemUTC(), new SimpleMeterRegistry());

    for (int i = 0; i < 19; i++) {
      failClosed.submit(event("f-" + i));
      dropping.submit(event("d-" + i));
    }

    assertThat(failClosed.accepting()).isFalse();
    assertThat(dropping.accepting()).isTrue();
  }
}

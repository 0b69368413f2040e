package dev.tollway.usage.topology;

import static dev.tollway.usage.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.usage.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deduplication processor on its own, so that a task can be started again on a store that already holds
 * ids, as after a restart or a move to another replica.
 */
class DeduplicateByEventIdTest {

  private static final String STORE = "dedup";
  private static final Duration RETENTION = Duration.ofMinutes(11);

  private final MockProcessorContext<String, UsageEvent> context = new MockProcessorContext<>();
  private WindowStore<Bytes, Long> store;

  @BeforeEach
  void createStore() {
    store = Stores.windowStoreBuilder(
            Stores.inMemoryWindowStore(STORE, RETENTION, Duration.ofMillis(1), false), Serdes.Bytes(), Serdes.Long())
        .withLoggingDisabled()
        .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
  }

  @Test
  void shouldForwardAnEventOnceAndDropItsCopies() {
    // Given a task
    Processor<String, UsageEvent, String, UsageEvent> task = startTask(-1);
    UsageEvent first = event("e1", "2026-11-26T12:00:05Z").build();
    UsageEvent second = event("e2", "2026-11-26T12:00:05Z").build();

    // When an event, its copy and another event with the same time arrive
    process(task, first, first, second, first);

    // Then each is forwarded once
    assertThat(forwardedIds()).containsExactly("e1", "e2");
  }

  @Test
  void shouldDropACopyOfAnEventStoredBeforeTheTaskStarted() {
    // Given an event counted by a first run of the task
    UsageEvent counted = event("e1", "2026-11-26T12:00:05Z").build();
    process(startTask(-1), counted);
    context.resetForwards();

    // When the task starts again on the same store, with the stream time it committed, and the event is replayed
    Processor<String, UsageEvent, String, UsageEvent> restarted = startTask(counted.endTime().toEpochMilli());
    UsageEvent fresh = event("e2", "2026-11-26T12:00:05Z").build();
    process(restarted, counted, fresh);

    // Then the copy is found in the store, and only the new event goes on
    assertThat(forwardedIds()).containsExactly("e2");
  }

  @Test
  void shouldDropACopyOfAnEventStoredByTheVersionThatKeyedIdsAlone() {
    // Given a store written by the version before, keyed by the event id alone
    UsageEvent counted = event("e1", "2026-11-26T12:00:05Z").build();
    long time = counted.endTime().toEpochMilli();
    store.put(Bytes.wrap("e1".getBytes(StandardCharsets.UTF_8)), time, time);

    // When the task starts on it and the event is replayed, beside a new one
    Processor<String, UsageEvent, String, UsageEvent> upgraded = startTask(time);
    process(upgraded, counted, event("e2", "2026-11-26T12:00:05Z").build());

    // Then the copy is found, and only the new event goes on
    assertThat(forwardedIds()).containsExactly("e2");
  }

  @Test
  void shouldKeyTheStoreByTimeFirstSoThatNewIdsAreAppended() {
    // Given a task
    Processor<String, UsageEvent, String, UsageEvent> task = startTask(-1);

    // When an event is processed
    UsageEvent event = event("e1", "2026-11-26T12:00:05Z").build();
    process(task, event);

    // Then its key is its time, then its id, and keys sort by time before id
    long time = event.endTime().toEpochMilli();
    assertThat(store.fetch(DeduplicateByEventId.key(time, "e1"), time)).isEqualTo(time);
    assertThat(DeduplicateByEventId.key(time, "zz").compareTo(DeduplicateByEventId.key(time + 1, "aa"))).isNegative();
  }

  @Test
  void shouldDropACopyOlderThanTheIdsKeptInMemory() {
    // Given an event, then events that moved stream time well past the in-memory span
    Processor<String, UsageEvent, String, UsageEvent> task = startTask(-1);
    UsageEvent original = event("e1", "2026-11-26T12:00:05Z").build();
    process(task, original, event("e2", "2026-11-26T12:00:30Z").build(), event("e3", "2026-11-26T12:01:00Z").build());

    // When the first event is replayed
    process(task, original);

    // Then the store still recognises it
    assertThat(forwardedIds()).containsExactly("e1", "e2", "e3");
  }

  @Test
  void shouldDropAnEventOlderThanTheRetentionBehindStreamTime() {
    // Given stream time at 12:20
    Processor<String, UsageEvent, String, UsageEvent> task = startTask(-1);
    process(task, event("e1", "2026-11-26T12:20:00Z").build());

    // When an event of 12:05 arrives: its first copy may have been forgotten
    process(task, event("e2", "2026-11-26T12:05:00Z").build());

    // Then it is dropped
    assertThat(forwardedIds()).containsExactly("e1");
  }

  private Processor<String, UsageEvent, String, UsageEvent> startTask(long committedStreamTime) {
    Processor<String, UsageEvent, String, UsageEvent> task = DeduplicateByEventId.supplier(STORE, RETENTION).get();
    context.setCurrentStreamTimeMs(committedStreamTime);
    task.init(context);
    return task;
  }

  /** Processes each event as its task would: stream time is the newest record time seen. */
  private void process(Processor<String, UsageEvent, String, UsageEvent> task, UsageEvent... events) {
    for (UsageEvent event : events) {
      long time = event.endTime().toEpochMilli();
      context.setCurrentStreamTimeMs(Math.max(context.currentStreamTimeMs(), time));
      task.process(new Record<>(event.requestId(), event, time));
    }
  }

  private List<String> forwardedIds() {
    return context.forwarded().stream().map(forward -> forward.record().value().eventId()).toList();
  }
}

package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.UsageEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards each usage event the first time its {@code eventId} is seen and drops later copies (a producer
 * retry, a replay). Seen ids are kept in a window store by event time for {@code retention}, so the store
 * stays bounded. A copy is the same record sent again — edge-proxy encodes each event once and its retries and
 * spool replays resend those bytes — so it carries the same {@code endTime}, hence the same record time, and
 * one point lookup ({@code eventId} at that time) finds the first copy. An event whose time is more than
 * {@code retention} behind the stream time of its partition is dropped too: its first copy may have been
 * forgotten already, so it could not be told from a copy, and counting it might count it twice in a long
 * window (a day of spend, a month of budget).
 *
 * <p>Nearly every event is new, and {@link RecentEventIds} tells most of them apart without a store lookup: the
 * lookup is left for copies and for events older than the last seconds of stream time.
 *
 * <p>The store's key is the event time (8 bytes, big-endian) followed by the id in UTF-8. Events arrive roughly
 * in time order, so new keys land at the end of RocksDB's in-memory table, where an insert is about half as dear
 * as one at a random place (which the id alone, a random UUID, gave). Versions before keyed the store by the id
 * alone; such keys are looked up too for events up to the stream time the task started with, the only events
 * whose first copy an earlier version can have stored.
 */
final class DeduplicateByEventId implements Processor<String, UsageEvent, String, UsageEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(DeduplicateByEventId.class);

  private final String storeName;
  private final long retentionMillis;
  private @Nullable ProcessorContext<String, UsageEvent> context;
  private @Nullable WindowStore<Bytes, Long> seen;
  private @Nullable RecentEventIds recent;

  private DeduplicateByEventId(String storeName, Duration retention) {
    this.storeName = storeName;
    this.retentionMillis = retention.toMillis();
  }

  /** The processor with its store: (event time, event id) → event time, kept for {@code retention}. */
  static ProcessorSupplier<String, UsageEvent, String, UsageEvent> supplier(String storeName, Duration retention) {
    requireNonNull(storeName, "storeName");
    requireNonNull(retention, "retention");
    StoreBuilder<WindowStore<Bytes, Long>> store =
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(storeName, retention, Duration.ofMillis(1), false),
            Serdes.Bytes(),
            Serdes.Long());
    return new ProcessorSupplier<>() {
      @Override
      public Processor<String, UsageEvent, String, UsageEvent> get() {
        return new DeduplicateByEventId(storeName, retention);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(store);
      }
    };
  }

  @Override
  public void init(ProcessorContext<String, UsageEvent> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
    // the task starts with the stream time it committed last: every id already in the store (left on disk or
    // restored from the changelog) has a record time up to it
    this.recent = new RecentEventIds(context.currentStreamTimeMs());
  }

  @Override
  public void process(Record<String, UsageEvent> record) {
    UsageEvent event = record.value();
    String eventId = event.eventId();
    long time = record.timestamp();
    ProcessorContext<String, UsageEvent> processorContext = requireNonNull(context, "context");
    long streamTime = processorContext.currentStreamTimeMs();
    if (time < streamTime - retentionMillis) {
      LOG.debug(
          "dropping a usage event too late to be deduplicated: eventId={} requestId={} lateByMs={}",
          eventId,
          event.requestId(),
          streamTime - time);
      return;
    }
    RecentEventIds recentIds = requireNonNull(recent, "recent");
    recentIds.advance(streamTime);
    WindowStore<Bytes, Long> store = requireNonNull(seen, "seen");
    Bytes key = key(time, eventId);
    // a copy is the same record sent again (edge-proxy encodes an event once and resends those bytes), so it
    // has the same endTime and so the same record time: a point lookup finds its first copy
    if (!recentIds.remember(eventId, time) && stored(store, recentIds, key, eventId, time)) {
      LOG.debug("dropping a duplicate usage event: eventId={} requestId={}", eventId, event.requestId());
      return;
    }
    store.put(key, time, time);
    processorContext.forward(record);
  }

  private static boolean stored(
      WindowStore<Bytes, Long> store, RecentEventIds recentIds, Bytes key, String eventId, long time) {
    return store.fetch(key, time) != null
        // keyed by the id alone, by a version before this one
        || recentIds.storedBeforeStart(time)
            && store.fetch(Bytes.wrap(eventId.getBytes(StandardCharsets.UTF_8)), time) != null;
  }

  /** The store key of an event: its time, big-endian, then its id in UTF-8. */
  static Bytes key(long time, String eventId) {
    byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + id.length).putLong(time).put(id).array());
  }
}

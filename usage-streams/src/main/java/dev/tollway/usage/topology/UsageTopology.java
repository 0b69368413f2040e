package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.serde.JsonSerde;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.UsageAggregate;
import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.aggregate.UsageCounts;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The one topology of usage-streams.
 *
 * <pre>
 * tollway.usage.v1 (key: request id, time: the event's endTime; undecodable records skipped)
 *   → drop tombstones
 *   → deduplicate by eventId                 [usage-dedup-store]
 *   → key by UsageDimensions                 [repartition: usage-by-dimensions]
 *   → sum per one-minute window with grace   [usage-minute-store]
 *   → UsageAggregate keyed by its key()      → tollway.usage.minute.v1
 * </pre>
 *
 * <p>The deduplicated event stream is the trunk: further outputs (cost, spend per key or team, quota
 * decisions) branch off it and so see every event exactly once.
 */
public final class UsageTopology {

  /** The length of one aggregation window. */
  public static final Duration WINDOW_SIZE = Duration.ofMinutes(1);

  /** The window store of per-minute {@link UsageCounts}, keyed by {@link UsageDimensions}. */
  public static final String MINUTE_STORE = "usage-minute-store";

  /** The window store of event ids already seen. */
  public static final String DEDUP_STORE = "usage-dedup-store";

  /** The repartition topic's name (Kafka Streams prefixes the application id, suffixes "-repartition"). */
  public static final String BY_DIMENSIONS_REPARTITION = "usage-by-dimensions";

  private static final Serde<UsageDimensions> DIMENSIONS = JsonSerde.of(UsageDimensions.class);
  private static final Serde<UsageCounts> COUNTS = JsonSerde.of(UsageCounts.class);

  private UsageTopology() {}

  /** Builds the topology. */
  public static Topology build(TopologySettings settings) {
    requireNonNull(settings, "settings");
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, UsageEvent> events = deduplicatedEvents(builder, settings);
    sumPerMinute(events, settings);
    return builder.build();
  }

  private static KStream<String, UsageEvent> deduplicatedEvents(StreamsBuilder builder, TopologySettings settings) {
    Serde<UsageEvent> eventSerde = Topics.USAGE.serde();
    return builder
        .stream(
            Topics.USAGE.name(),
            Consumed.with(Serdes.String(), eventSerde)
                .withTimestampExtractor(new EventTimeExtractor())
                .withName("usage-events"))
        .filter((requestId, event) -> event != null, Named.as("drop-tombstones"))
        .process(
            DeduplicateByEventId.supplier(DEDUP_STORE, settings.dedupRetention()),
            Named.as("deduplicate-by-event-id"));
  }

  private static void sumPerMinute(KStream<String, UsageEvent> events, TopologySettings settings) {
    Serde<UsageEvent> eventSerde = Topics.USAGE.serde();
    events
        .selectKey((requestId, event) -> UsageDimensions.of(event), Named.as("key-by-dimensions"))
        .repartition(
            Repartitioned.<UsageDimensions, UsageEvent>as(BY_DIMENSIONS_REPARTITION)
                .withKeySerde(DIMENSIONS)
                .withValueSerde(eventSerde))
        .groupByKey(Grouped.<UsageDimensions, UsageEvent>as("group-by-dimensions")
            .withKeySerde(DIMENSIONS)
            .withValueSerde(eventSerde))
        .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW_SIZE, settings.grace()))
        .aggregate(
            UsageCounts::zero,
            (dimensions, event, counts) -> counts.add(event),
            Named.as("sum-per-minute"),
            Materialized.<UsageDimensions, UsageCounts, WindowStore<Bytes, byte[]>>as(MINUTE_STORE)
                .withKeySerde(DIMENSIONS)
                .withValueSerde(COUNTS)
                .withRetention(settings.retention()))
        .toStream(Named.as("minute-updates"))
        .map(
            (window, counts) -> {
              UsageAggregate aggregate = toAggregate(window, counts);
              return KeyValue.pair(aggregate.key(), aggregate);
            },
            Named.as("to-usage-aggregate"))
        .to(
            Topics.USAGE_MINUTE.name(),
            Produced.with(Serdes.String(), Topics.USAGE_MINUTE.serde()).withName("usage-minute-sink"));
  }

  private static UsageAggregate toAggregate(Windowed<UsageDimensions> window, UsageCounts counts) {
    return counts.toAggregate(window.key(), window.window().startTime(), window.window().endTime());
  }
}

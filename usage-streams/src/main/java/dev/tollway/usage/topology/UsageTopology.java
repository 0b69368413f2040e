package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.serde.JsonSerde;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.SpendAggregate;
import dev.tollway.schemas.usage.SpendDimensions;
import dev.tollway.schemas.usage.UsageAggregate;
import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.aggregate.UsageCounts;
import dev.tollway.usage.codec.InternalSerdes;
import dev.tollway.usage.codec.RememberingSerde;
import dev.tollway.usage.codec.UsageEventSerde;
import dev.tollway.usage.cost.CostObserver;
import dev.tollway.usage.cost.PricedUsage;
import dev.tollway.usage.quota.Charge;
import dev.tollway.usage.quota.WindowUsage;
import dev.tollway.usage.spend.SpendCounts;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
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
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The one topology of usage-streams.
 *
 * <pre>
 * tollway.prices.v1  → [prices-store]  (global)
 * tollway.budgets.v1 → [budgets-store] (global)
 *
 * tollway.usage.v1 (key: request id, time: the event's endTime; undecodable records skipped)
 *   → drop tombstones
 *   → deduplicate by eventId                 [usage-dedup-store]      ← the trunk
 *   ├→ sum per UsageDimensions and minute in the task, sent every preAggregation [usage-minute-partials]
 *   │  → key by UsageDimensions               [repartition: usage-by-dimensions]
 *   │  → sum per one-minute window with grace [usage-minute-store]
 *   │  → UsageAggregate keyed by its key()    → tollway.usage.minute.v1
 *   └→ price each event                       (prices-store)
 *      ├→ sum per spend group and day in the task, sent every preAggregation [spend-daily-partials]
 *      │  → key by SpendDimensions            [repartition: spend-by-dimensions]
 *      │  → sum per calendar day in the zone  [spend-daily-store]
 *      │  → SpendAggregate keyed by its key() → tollway.spend.daily.v1
 *      └→ charge the subjects budgets apply to (budgets-store), summed per subject and second in the task,
 *         sent every preAggregation          [quota-charge-partials]
 *         → key by subject                    [repartition: charges-by-subject]
 *         → enforce budgets                   [quota-totals-store, quota-blocks-store]
 *         → QuotaDecision / tombstone         → tollway.quota.v1
 * </pre>
 *
 * <p>Every output branches off the deduplicated trunk, so each sees every event exactly once. In front of each
 * repartition, {@link PreAggregate} sums the events of the task per group for a short interval, so the
 * repartition topics and the aggregations behind them handle one record per group and interval rather than
 * one per event.
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

  /** The global store of model prices, keyed {@code <provider>/<model>}. */
  public static final String PRICES_STORE = "prices-store";

  /** The global store of budgets, keyed {@code <namespace>/<name>}. */
  public static final String BUDGETS_STORE = "budgets-store";

  /** The window store of daily {@link SpendCounts} (one window per calendar day), keyed by spend group. */
  public static final String SPEND_STORE = "spend-daily-store";

  /** The key-value store of budget running totals, keyed as {@link TotalsKey}. */
  public static final String QUOTA_TOTALS_STORE = "quota-totals-store";

  /** The key-value store of current blocks: the last {@link QuotaDecision} per decision key, used kept current. */
  public static final String QUOTA_BLOCKS_STORE = "quota-blocks-store";

  /** The repartition topic of spend, keyed by spend group. */
  public static final String SPEND_REPARTITION = "spend-by-dimensions";

  /** The repartition topic of budget charges, keyed by subject. */
  public static final String CHARGES_REPARTITION = "charges-by-subject";

  /** The store of per-task sums of minute counts waiting for the minute repartition. */
  public static final String MINUTE_PARTIALS_STORE = "usage-minute-partials";

  /** The store of per-task sums of spend waiting for the spend repartition. */
  public static final String SPEND_PARTIALS_STORE = "spend-daily-partials";

  /** The store of per-task sums of charges waiting for the charges repartition. */
  public static final String CHARGE_PARTIALS_STORE = "quota-charge-partials";

  // keys keep their JSON form (stores and repartition topics written by earlier versions stay readable and
  // keyed alike; with pre-aggregation they are (de)serialised per group, not per event); values are binary
  private static final Serde<UsageDimensions> DIMENSIONS = JsonSerde.of(UsageDimensions.class);
  private static final Serde<UsageCounts> COUNTS = InternalSerdes.USAGE_COUNTS;
  private static final Serde<SpendDimensions> SPEND_DIMENSIONS = JsonSerde.of(SpendDimensions.class);
  private static final Serde<SpendCounts> SPEND_COUNTS = InternalSerdes.SPEND_COUNTS;
  private static final Serde<Charge> CHARGES = InternalSerdes.CHARGE;

  private UsageTopology() {}

  /** Builds the topology, with no observer of costs. */
  public static Topology build(TopologySettings settings) {
    return build(settings, CostObserver.none());
  }

  /** Builds the topology; {@code costs} is told about every priced event (metrics). */
  public static Topology build(TopologySettings settings, CostObserver costs) {
    requireNonNull(settings, "settings");
    requireNonNull(costs, "costs");
    StreamsBuilder builder = new StreamsBuilder();
    AtomicLong budgetChanges = new AtomicLong();
    globalTables(builder, budgetChanges);
    KStream<String, UsageEvent> events = deduplicatedEvents(builder, settings);
    sumPerMinute(events, settings);
    KStream<String, PricedUsage> priced =
        events.process(PriceEachEvent.supplier(PRICES_STORE, costs), Named.as("price-each-event"));
    sumSpendPerDay(priced, settings);
    enforceBudgets(priced, settings, budgetChanges::get);
    return builder.build();
  }

  /**
   * How many decoded prices and budgets are kept (each global store is read for every event: decoding its JSON
   * every time cost more than anything else per event).
   */
  private static final int REMEMBERED_VALUES = 20_000;

  /**
   * The global tables; {@code budgetChanges} counts the writes to the budget store, so that the processors that
   * read every budget for each event read the store again only when it changed. That store has no record cache:
   * a cache would hold writes above the count until its flush.
   */
  private static void globalTables(StreamsBuilder builder, AtomicLong budgetChanges) {
    // the serde must be the Consumed one: a global table materialises with the serdes of its Consumed and
    // ignores those given to Materialized
    Serde<ModelPrice> prices = RememberingSerde.of(Topics.PRICES.serde(), REMEMBERED_VALUES);
    builder.globalTable(
        Topics.PRICES.name(),
        Consumed.with(Serdes.String(), prices).withName("prices"),
        Materialized.<String, ModelPrice>as(Stores.inMemoryKeyValueStore(PRICES_STORE))
            .withKeySerde(Serdes.String())
            .withValueSerde(prices));
    Serde<Budget> budgets = RememberingSerde.of(Topics.BUDGETS.serde(), REMEMBERED_VALUES);
    builder.globalTable(
        Topics.BUDGETS.name(),
        Consumed.with(Serdes.String(), budgets).withName("budgets"),
        Materialized.<String, Budget>as(
                ChangeCountingStore.counting(Stores.inMemoryKeyValueStore(BUDGETS_STORE), budgetChanges))
            .withKeySerde(Serdes.String())
            .withValueSerde(budgets)
            .withCachingDisabled());
  }

  private static KStream<String, UsageEvent> deduplicatedEvents(StreamsBuilder builder, TopologySettings settings) {
    // the contract's JSON, read by a streaming decoder (the same events as data binding, at a fraction of the cost)
    Serde<UsageEvent> eventSerde = new UsageEventSerde();
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
    long minute = WINDOW_SIZE.toMillis();
    events
        .process(
            PreAggregate.<UsageEvent, UsageDimensions, UsageCounts>supplier(
                MINUTE_PARTIALS_STORE,
                settings.preAggregation(),
                () -> (event, timestamp, sink) ->
                    sink.add(UsageDimensions.of(event), Math.floorDiv(timestamp, minute) * minute, UsageCounts.of(event)),
                InternalSerdes.USAGE_DIMENSIONS,
                InternalSerdes.USAGE_COUNTS,
                UsageCounts::plus),
            Named.as("sum-minutes-per-task"))
        .repartition(
            Repartitioned.<UsageDimensions, UsageCounts>as(BY_DIMENSIONS_REPARTITION)
                .withKeySerde(DIMENSIONS)
                .withValueSerde(COUNTS))
        .groupByKey(Grouped.<UsageDimensions, UsageCounts>as("group-by-dimensions")
            .withKeySerde(DIMENSIONS)
            .withValueSerde(COUNTS))
        .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW_SIZE, settings.grace()))
        .aggregate(
            UsageCounts::zero,
            (dimensions, partial, counts) -> counts.plus(partial),
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

  private static void sumSpendPerDay(KStream<String, PricedUsage> priced, TopologySettings settings) {
    ZonedDayWindows days = new ZonedDayWindows(settings.spendZone(), settings.grace());
    priced
        .process(
            PreAggregate.<PricedUsage, SpendDimensions, SpendCounts>supplier(
                SPEND_PARTIALS_STORE,
                settings.preAggregation(),
                () -> (usage, timestamp, sink) ->
                    sink.add(
                        SpendCounts.groupOf(usage.event()), days.startOf(timestamp), SpendCounts.of(usage.event(), usage.cost())),
                InternalSerdes.SPEND_DIMENSIONS,
                InternalSerdes.SPEND_COUNTS,
                SpendCounts::plus),
            Named.as("sum-spend-per-task"))
        .repartition(
            Repartitioned.<SpendDimensions, SpendCounts>as(SPEND_REPARTITION)
                .withKeySerde(SPEND_DIMENSIONS)
                .withValueSerde(SPEND_COUNTS))
        .groupByKey(
            Grouped.<SpendDimensions, SpendCounts>as("group-by-spend-dimensions")
                .withKeySerde(SPEND_DIMENSIONS)
                .withValueSerde(SPEND_COUNTS))
        .windowedBy(days)
        .reduce(
            SpendCounts::plus,
            Named.as("sum-per-day"),
            Materialized.<SpendDimensions, SpendCounts, WindowStore<Bytes, byte[]>>as(SPEND_STORE)
                .withKeySerde(SPEND_DIMENSIONS)
                .withValueSerde(SPEND_COUNTS)
                .withRetention(settings.spendRetention()))
        .toStream(Named.as("daily-spend-updates"))
        .map(
            (window, counts) -> {
              SpendAggregate aggregate =
                  counts.toAggregate(window.key(), days.dayOf(window.window().start()), days.zone());
              return KeyValue.pair(aggregate.key(), aggregate);
            },
            Named.as("to-spend-aggregate"))
        .to(
            Topics.SPEND_DAILY.name(),
            Produced.with(Serdes.String(), Topics.SPEND_DAILY.serde()).withName("spend-daily-sink"));
  }

  private static void enforceBudgets(
      KStream<String, PricedUsage> priced, TopologySettings settings, LongSupplier budgetChanges) {
    StoreBuilder<KeyValueStore<String, WindowUsage>> totals =
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(QUOTA_TOTALS_STORE), Serdes.String(), InternalSerdes.WINDOW_USAGE)
            .withCachingEnabled();
    StoreBuilder<KeyValueStore<String, QuotaDecision>> blocks =
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(QUOTA_BLOCKS_STORE), Serdes.String(), Topics.QUOTA.serde())
            .withCachingEnabled();
    priced
        .process(
            PreAggregate.<PricedUsage, String, Charge>supplier(
                CHARGE_PARTIALS_STORE,
                settings.preAggregation(),
                () -> new ChargeSubjects(BUDGETS_STORE, budgetChanges),
                InternalSerdes.TEXT,
                InternalSerdes.CHARGE,
                Charge::plus),
            Named.as("charge-subjects"))
        .repartition(
            Repartitioned.<String, Charge>as(CHARGES_REPARTITION)
                .withKeySerde(Serdes.String())
                .withValueSerde(CHARGES))
        .process(
            EnforceBudgets.supplier(BUDGETS_STORE, budgetChanges, totals, blocks, settings.quotaCheckInterval()),
            Named.as("enforce-budgets"))
        .to(Topics.QUOTA.name(), Produced.with(Serdes.String(), Topics.QUOTA.serde()).withName("quota-sink"));
  }
}

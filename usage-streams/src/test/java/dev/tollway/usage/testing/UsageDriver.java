package dev.tollway.usage.testing;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.SpendAggregate;
import dev.tollway.schemas.usage.SpendDimensions;
import dev.tollway.schemas.usage.UsageAggregate;
import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.UsageStreams;
import dev.tollway.usage.UsageStreamsConfig;
import dev.tollway.usage.aggregate.UsageCounts;
import dev.tollway.usage.cost.CostObserver;
import dev.tollway.usage.spend.SpendCounts;
import dev.tollway.usage.topology.SkippedRecords;
import dev.tollway.usage.topology.UsageTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.BytesDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The production topology and Streams properties in a {@link TopologyTestDriver}, with the contract
 * serdes on the input and output topics. The wall clock starts at {@link #START}. Pre-aggregation is off
 * unless the environment given sets {@code TOLLWAY_USAGE_PRE_AGGREGATION}.
 */
public final class UsageDriver implements AutoCloseable {

  public static final Duration GRACE = Duration.ofMinutes(5);

  /** The driver's wall-clock time when it starts. */
  public static final Instant START = Instant.parse("2026-11-26T12:00:00Z");

  private final SkippedRecords skipped = new SkippedRecords();
  private final TopologyTestDriver driver;
  private final String applicationId;
  private final TestInputTopic<String, UsageEvent> events;
  private final TestInputTopic<String, byte[]> raw;
  private final TestInputTopic<String, ModelPrice> prices;
  private final TestInputTopic<String, Budget> budgets;
  private final TestOutputTopic<String, UsageAggregate> minutes;
  private final TestOutputTopic<String, SpendAggregate> spend;
  private final TestOutputTopic<String, QuotaDecision> quota;

  public UsageDriver(Path stateDir) {
    this(stateDir, Map.of(), CostObserver.none());
  }

  /** A driver with further configuration ({@code TOLLWAY_USAGE_TIME_ZONE}, ...) and a cost observer. */
  public UsageDriver(Path stateDir, Map<String, String> env, CostObserver costs) {
    this(stateDir, env, costs, START);
  }

  /** A driver whose wall clock starts at {@code wallClockStart}. */
  public UsageDriver(Path stateDir, Map<String, String> env, CostObserver costs, Instant wallClockStart) {
    Map<String, String> all = new HashMap<>(env);
    all.put(UsageStreamsConfig.KAFKA_BOOTSTRAP, "unused:9092");
    all.put(UsageStreamsConfig.STATE_DIR, stateDir.toString());
    all.putIfAbsent(UsageStreamsConfig.GRACE, GRACE.toString());
    // events go through one by one unless a test sets a pre-aggregation interval: the tests read the outputs
    // right after piping, and PreAggregationTopologyTest shows that summing ahead changes when results come,
    // not what they are
    all.putIfAbsent(UsageStreamsConfig.PRE_AGGREGATION, "0ms");
    UsageStreamsConfig config = UsageStreamsConfig.fromEnv(all);
    applicationId = config.applicationId();
    driver =
        new TopologyTestDriver(
            UsageTopology.build(config.topologySettings(), costs),
            UsageStreams.streamsProperties(config, skipped),
            wallClockStart);
    events =
        driver.createInputTopic(Topics.USAGE.name(), new StringSerializer(), Topics.USAGE.serde().serializer());
    raw = driver.createInputTopic(Topics.USAGE.name(), new StringSerializer(), new ByteArraySerializer());
    prices =
        driver.createInputTopic(Topics.PRICES.name(), new StringSerializer(), Topics.PRICES.serde().serializer());
    budgets =
        driver.createInputTopic(Topics.BUDGETS.name(), new StringSerializer(), Topics.BUDGETS.serde().serializer());
    minutes =
        driver.createOutputTopic(
            Topics.USAGE_MINUTE.name(), new StringDeserializer(), Topics.USAGE_MINUTE.serde().deserializer());
    spend =
        driver.createOutputTopic(
            Topics.SPEND_DAILY.name(), new StringDeserializer(), Topics.SPEND_DAILY.serde().deserializer());
    quota = driver.createOutputTopic(Topics.QUOTA.name(), new StringDeserializer(), Topics.QUOTA.serde().deserializer());
  }

  /** Pipes events keyed by their request id, as edge-proxy produces them. */
  public UsageDriver pipe(UsageEvent... usageEvents) {
    for (UsageEvent event : usageEvents) {
      events.pipeInput(event.requestId(), event);
    }
    return this;
  }

  /** Pipes a payload as it is, bypassing the serde. */
  public UsageDriver pipeRaw(String key, String payload) {
    raw.pipeInput(key, payload.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Publishes prices to the catalog topic, as config-service does. */
  public UsageDriver price(ModelPrice... modelPrices) {
    for (ModelPrice price : modelPrices) {
      prices.pipeInput(price.key(), price);
    }
    return this;
  }

  /** Publishes a budget, as config-service does. */
  public UsageDriver budget(Budget budget) {
    budgets.pipeInput(budget.name(), budget);
    return this;
  }

  /** Publishes the tombstone of a budget. */
  public UsageDriver removeBudget(String name) {
    budgets.pipeInput(name, null);
    return this;
  }

  /** Moves the wall clock on, which runs the quota checks that fall due. */
  public UsageDriver advanceWallClock(Duration duration) {
    driver.advanceWallClockTime(duration);
    return this;
  }

  /** Every record written to the minute topic since the last read. */
  public List<KeyValue<String, UsageAggregate>> readMinutes() {
    return minutes.readKeyValuesToList();
  }

  /** The latest record per key on the minute topic since the last read. */
  public Map<String, UsageAggregate> readLatestMinutes() {
    return minutes.readKeyValuesToMap();
  }

  /** Every record written to the daily spend topic since the last read. */
  public List<KeyValue<String, SpendAggregate>> readSpend() {
    return spend.readKeyValuesToList();
  }

  /** The latest record per key on the daily spend topic since the last read. */
  public Map<String, SpendAggregate> readLatestSpend() {
    return spend.readKeyValuesToMap();
  }

  /** Every record written to the quota topic since the last read; a tombstone has a null value. */
  public List<KeyValue<String, QuotaDecision>> readQuota() {
    return quota.readKeyValuesToList();
  }

  public WindowStore<UsageDimensions, UsageCounts> minuteStore() {
    return driver.getWindowStore(UsageTopology.MINUTE_STORE);
  }

  public WindowStore<SpendDimensions, SpendCounts> spendStore() {
    return driver.getWindowStore(UsageTopology.SPEND_STORE);
  }

  public KeyValueStore<String, QuotaDecision> blocksStore() {
    return driver.getKeyValueStore(UsageTopology.QUOTA_BLOCKS_STORE);
  }

  /**
   * Every record written to the changelog of {@code store} since the last read of it, as bytes; a delete has a
   * null value.
   */
  public List<KeyValue<Bytes, byte[]>> readChangelog(String store) {
    return driver
        .createOutputTopic(applicationId + "-" + store + "-changelog", new BytesDeserializer(), new ByteArrayDeserializer())
        .readKeyValuesToList();
  }

  public long skippedRecords() {
    return skipped.count();
  }

  @Override
  public void close() {
    driver.close();
  }
}

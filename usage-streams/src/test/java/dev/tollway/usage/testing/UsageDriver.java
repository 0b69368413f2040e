package dev.tollway.usage.testing;

import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.UsageAggregate;
import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.UsageStreams;
import dev.tollway.usage.UsageStreamsConfig;
import dev.tollway.usage.aggregate.UsageCounts;
import dev.tollway.usage.topology.SkippedRecords;
import dev.tollway.usage.topology.TopologySettings;
import dev.tollway.usage.topology.UsageTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The production topology and Streams properties in a {@link TopologyTestDriver}, with the contract
 * serdes on the input and output topics.
 */
public final class UsageDriver implements AutoCloseable {

  public static final Duration GRACE = Duration.ofMinutes(5);

  private final SkippedRecords skipped = new SkippedRecords();
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, UsageEvent> events;
  private final TestInputTopic<String, byte[]> raw;
  private final TestOutputTopic<String, UsageAggregate> minutes;

  public UsageDriver(Path stateDir) {
    UsageStreamsConfig config =
        UsageStreamsConfig.fromEnv(
            Map.of(
                UsageStreamsConfig.KAFKA_BOOTSTRAP, "unused:9092",
                UsageStreamsConfig.STATE_DIR, stateDir.toString(),
                UsageStreamsConfig.GRACE, GRACE.toString()));
    driver =
        new TopologyTestDriver(
            UsageTopology.build(new TopologySettings(config.grace(), config.retention())),
            UsageStreams.streamsProperties(config, skipped),
            Instant.parse("2026-11-26T12:00:00Z"));
    events =
        driver.createInputTopic(Topics.USAGE.name(), new StringSerializer(), Topics.USAGE.serde().serializer());
    raw = driver.createInputTopic(Topics.USAGE.name(), new StringSerializer(), new ByteArraySerializer());
    minutes =
        driver.createOutputTopic(
            Topics.USAGE_MINUTE.name(), new StringDeserializer(), Topics.USAGE_MINUTE.serde().deserializer());
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

  /** Every record written to the minute topic since the last read. */
  public List<KeyValue<String, UsageAggregate>> readMinutes() {
    return minutes.readKeyValuesToList();
  }

  /** The latest record per key on the minute topic since the last read. */
  public Map<String, UsageAggregate> readLatestMinutes() {
    return minutes.readKeyValuesToMap();
  }

  public WindowStore<UsageDimensions, UsageCounts> minuteStore() {
    return driver.getWindowStore(UsageTopology.MINUTE_STORE);
  }

  public long skippedRecords() {
    return skipped.count();
  }

  @Override
  public void close() {
    driver.close();
  }
}

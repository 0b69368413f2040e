package dev.tollway.usage.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.jspecify.annotations.Nullable;

/**
 * The Kafka Streams client's health in Micrometer:
 *
 * <ul>
 *   <li>{@code tollway.usage.consumer.lag{topic}} — records of the topic not yet read by this instance, summed
 *       over its assigned partitions (the consumer's {@code records-lag}); 0 before the first fetch;
 *   <li>{@code tollway.usage.skipped.records} — input records skipped because they did not decode.
 * </ul>
 */
public final class StreamsMetrics {

  public static final String LAG = "tollway.usage.consumer.lag";
  public static final String SKIPPED = "tollway.usage.skipped.records";

  private StreamsMetrics() {}

  /**
   * Registers the gauges.
   *
   * @param metrics the Kafka Streams client's metrics, or null before it exists
   * @param topics the input topics whose lag is published
   * @param skipped how many records were skipped
   */
  public static void register(
      MeterRegistry registry, Supplier<@Nullable Map<MetricName, ? extends Metric>> metrics, Iterable<String> topics,
      LongSupplier skipped) {
    requireNonNull(registry, "registry");
    requireNonNull(metrics, "metrics");
    for (String topic : topics) {
      Gauge.builder(LAG, () -> lag(metrics.get(), topic))
          .description("records of an input topic not yet read by this instance, over its assigned partitions")
          .tag("topic", topic)
          .register(registry);
    }
    Gauge.builder(SKIPPED, skipped::getAsLong)
        .description("input records skipped because they did not decode")
        .register(registry);
  }

  /** The sum of the main consumers' per-partition {@code records-lag} of a topic. */
  static double lag(@Nullable Map<MetricName, ? extends Metric> metrics, String topic) {
    if (metrics == null) {
      return 0;
    }
    double lag = 0;
    for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
      MetricName name = entry.getKey();
      if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
          && topic.equals(name.tags().get("topic")) && name.tags().containsKey("partition")
          && !name.tags().getOrDefault("client-id", "").contains("restore-consumer")
          && entry.getValue().metricValue() instanceof Number value && !Double.isNaN(value.doubleValue())) {
        lag += value.doubleValue();
      }
    }
    return lag;
  }
}

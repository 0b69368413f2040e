package dev.tollway.usage.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class StreamsMetricsTest {

  private static Map.Entry<MetricName, Metric> metric(String name, String clientId, String topic, String partition,
      Object value) {
    Map<String, String> tags = new HashMap<>();
    tags.put("client-id", clientId);
    tags.put("topic", topic);
    if (partition != null) {
      tags.put("partition", partition);
    }
    MetricName metricName = new MetricName(name, "consumer-fetch-manager-metrics", "", tags);
    return Map.entry(metricName, new Metric() {
      @Override
      public MetricName metricName() {
        return metricName;
      }

      @Override
      public Object metricValue() {
        return value;
      }
    });
  }

  @Test
  void shouldSumTheMainConsumersLagOverTheTopicsPartitionsOnly() {
    // Given the metrics of a Streams client: two partitions of the usage topic, a restore consumer, another
    // topic, a per-topic total and a partition not fetched yet
    Map<MetricName, Metric> metrics = new HashMap<>();
    for (var entry : List.of(
        metric("records-lag", "app-StreamThread-1-consumer", "tollway.usage.v1", "0", 40.0),
        metric("records-lag", "app-StreamThread-1-consumer", "tollway.usage.v1", "1", 2.0),
        metric("records-lag", "app-StreamThread-1-consumer", "tollway.usage.v1", "2", Double.NaN),
        metric("records-lag", "app-StreamThread-1-restore-consumer", "tollway.usage.v1", "0", 1000.0),
        metric("records-lag", "app-StreamThread-1-consumer", "tollway.prices.v1", "0", 7.0),
        metric("records-lag-max", "app-StreamThread-1-consumer", "tollway.usage.v1", null, 40.0))) {
      metrics.put(entry.getKey(), entry.getValue());
    }
    AtomicReference<Map<MetricName, Metric>> current = new AtomicReference<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    StreamsMetrics.register(registry, current::get, List.of("tollway.usage.v1"), () -> 3);

    // When the client does not exist yet, then no lag is known
    assertThat(registry.get(StreamsMetrics.LAG).tag("topic", "tollway.usage.v1").gauge().value()).isZero();

    // When it does, the lag is the main consumer's over the topic's partitions
    current.set(metrics);
    assertThat(registry.get(StreamsMetrics.LAG).tag("topic", "tollway.usage.v1").gauge().value()).isEqualTo(42.0);
    assertThat(registry.get(StreamsMetrics.SKIPPED).gauge().value()).isEqualTo(3.0);
  }
}

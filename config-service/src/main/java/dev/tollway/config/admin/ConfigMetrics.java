package dev.tollway.config.admin;

import dev.tollway.config.PublishCycle;
import dev.tollway.config.SnapshotListener;
import dev.tollway.config.publish.PublishResult;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ListenerStatus;
import dev.tollway.config.status.ParentStatus;
import dev.tollway.config.status.ResourceStatus;
import dev.tollway.schemas.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * config-service's metrics, fed by every pass of the worker ({@link SnapshotListener}):
 *
 * <ul>
 *   <li>{@code tollway_config_publishes_total{topic,outcome}}: records written per topic — {@code published}
 *       (changed or new), {@code tombstoned}, {@code failed} (retried at the next pass);
 *   <li>{@code tollway_config_compile_seconds}: how long a pass took to compile snapshots, prices and budgets;
 *   <li>{@code tollway_config_resources{kind,condition,status,reason}}: resources by condition as last compiled
 *       (a Gateway's listeners and a route's parents folded in: the first problem of a type wins, else its first
 *       condition);
 *   <li>{@code tollway_config_snapshots}: Gateways with a snapshot; {@code tollway_config_source_problems}: files
 *       or objects the source could not read.
 * </ul>
 */
public final class ConfigMetrics implements SnapshotListener {

  private static final Duration[] COMPILE_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private record ResourceKey(String kind, String condition, String status, String reason) {}

  private final PrometheusMeterRegistry registry;
  private final Timer compile;
  private final MultiGauge resources;
  private final AtomicInteger snapshots = new AtomicInteger();
  private final AtomicInteger sourceProblems = new AtomicInteger();

  public ConfigMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.compile = Timer.builder("tollway.config.compile")
        .description("time one pass took to compile snapshots, prices and budgets")
        .serviceLevelObjectives(COMPILE_BUCKETS)
        .register(registry);
    this.resources = MultiGauge.builder("tollway.config.resources")
        .description("resources by condition type, status and reason, as last compiled")
        .register(registry);
    Gauge.builder("tollway.config.snapshots", snapshots, AtomicInteger::get)
        .description("Gateways with a snapshot").register(registry);
    Gauge.builder("tollway.config.source.problems", sourceProblems, AtomicInteger::get)
        .description("files or objects the source could not read in the last pass").register(registry);
  }

  public static ConfigMetrics create() {
    return new ConfigMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void onCycle(PublishCycle cycle) {
    compile.record(cycle.compileTime());
    count(Topics.CONFIG.name(), cycle.publish());
    count(Topics.PRICES.name(), cycle.metering().pricesPublish());
    count(Topics.BUDGETS.name(), cycle.metering().budgetsPublish());
    snapshots.set(cycle.result().snapshots().size());
    sourceProblems.set(cycle.sourceProblems().size());
    List<ResourceStatus> statuses = new ArrayList<>(cycle.result().statuses());
    statuses.addAll(cycle.metering().prices().statuses());
    statuses.addAll(cycle.metering().budgets().statuses());
    Map<ResourceKey, Integer> counts = new TreeMap<>(
        java.util.Comparator.comparing(ResourceKey::kind).thenComparing(ResourceKey::condition)
            .thenComparing(ResourceKey::status).thenComparing(ResourceKey::reason));
    for (ResourceStatus status : statuses) {
      for (Condition condition : folded(status).values()) {
        counts.merge(new ResourceKey(status.resource().kind(), condition.type(), condition.status().name(),
            condition.reason()), 1, Integer::sum);
      }
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    counts.forEach((key, count) -> rows.add(MultiGauge.Row.of(
        Tags.of("kind", key.kind(), "condition", key.condition(), "status", key.status(), "reason", key.reason()),
        count)));
    resources.register(rows, true);
  }

  private void count(String topic, PublishResult result) {
    add(topic, "published", result.published().size());
    add(topic, "tombstoned", result.tombstoned().size());
    add(topic, "failed", result.failed().size());
  }

  private void add(String topic, String outcome, int amount) {
    Counter counter = Counter.builder("tollway.config.publishes")
        .description("records written by config-service, by topic and outcome")
        .tag("topic", topic).tag("outcome", outcome)
        .register(registry);
    if (amount > 0) {
      counter.increment(amount);
    }
  }

  /** One condition per type for a resource: its top-level ones, its listeners' and its parents'. */
  private static Map<String, Condition> folded(ResourceStatus status) {
    List<Condition> all = new ArrayList<>(status.conditions());
    for (ListenerStatus listener : status.listeners()) {
      all.addAll(listener.conditions());
    }
    for (ParentStatus parent : status.parents()) {
      all.addAll(parent.conditions());
    }
    Map<String, Condition> byType = new LinkedHashMap<>();
    for (Condition condition : all) {
      Condition kept = byType.get(condition.type());
      if (kept == null || (!kept.isProblem() && condition.isProblem())) {
        byType.put(condition.type(), condition);
      }
    }
    return byType;
  }
}

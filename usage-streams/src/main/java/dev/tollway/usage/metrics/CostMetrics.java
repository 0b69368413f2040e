package dev.tollway.usage.metrics;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.cost.Cost;
import dev.tollway.usage.cost.CostObserver;
import dev.tollway.usage.cost.Money;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts priced events in Micrometer, tagged {@code provider} and {@code model} (the model that answered):
 *
 * <ul>
 *   <li>{@code tollway.usage.cost} (base unit {@code usd}) — the cost of priced events;
 *   <li>{@code tollway.usage.unpriced.events} — events that used tokens but whose model had no price (their
 *       cost is unknown, not zero); the first one of each provider and model is also logged;
 *   <li>{@code tollway.usage.estimated.events} — events priced with a fallback rate.
 * </ul>
 *
 * <p>Counted when an event is processed, so a replay after a crash may count an event again: these are
 * operational gauges; the exact figures are in the spend store and topic.
 */
public final class CostMetrics implements CostObserver {

  public static final String COST = "tollway.usage.cost";
  public static final String UNPRICED = "tollway.usage.unpriced.events";
  public static final String ESTIMATED = "tollway.usage.estimated.events";

  private static final Logger LOG = LoggerFactory.getLogger(CostMetrics.class);

  private final MeterRegistry registry;
  private final Map<Tags, Counters> counters = new ConcurrentHashMap<>();

  public CostMetrics(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
  }

  @Override
  public void priced(UsageEvent event, Cost cost) {
    String provider = orEmpty(event.provider());
    String model = orEmpty(event.effectiveModel());
    Counters meters = counters.computeIfAbsent(new Tags(provider, model), this::register);
    if (cost.isUnpriced()) {
      if (event.tokens().inputTokens() > 0 || event.tokens().outputTokens() > 0) {
        if (meters.unpriced.count() == 0) {
          LOG.info("no price for a model; its usage is counted as unpriced: provider={} model={}", provider, model);
        }
        meters.unpriced.increment();
      }
      return;
    }
    if (cost.isEstimated()) {
      meters.estimated.increment();
    }
    meters.cost.increment((double) cost.nanoUsd() / Money.NANOS_PER_USD);
  }

  private Counters register(Tags tags) {
    return new Counters(
        Counter.builder(COST)
            .baseUnit("usd")
            .description("Cost of priced usage events")
            .tag("provider", tags.provider)
            .tag("model", tags.model)
            .register(registry),
        Counter.builder(UNPRICED)
            .description("Usage events that used tokens of a model without a price")
            .tag("provider", tags.provider)
            .tag("model", tags.model)
            .register(registry),
        Counter.builder(ESTIMATED)
            .description("Usage events priced with a fallback rate")
            .tag("provider", tags.provider)
            .tag("model", tags.model)
            .register(registry));
  }

  private static String orEmpty(@Nullable String value) {
    return value == null ? "" : value;
  }

  private record Tags(String provider, String model) {}

  private record Counters(Counter cost, Counter unpriced, Counter estimated) {}
}

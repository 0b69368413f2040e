package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.cost.Cost;
import dev.tollway.usage.cost.CostObserver;
import dev.tollway.usage.cost.PriceLookup;
import dev.tollway.usage.cost.PricedUsage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prices each event from the price catalog (the global store of {@code tollway.prices.v1}) with
 * {@link PriceLookup}, and tells the {@link CostObserver}.
 */
final class PriceEachEvent implements Processor<String, UsageEvent, String, PricedUsage> {

  private static final Logger LOG = LoggerFactory.getLogger(PriceEachEvent.class);
  private static final int REMEMBERED_MODELS = 10_000;

  private final String pricesStore;
  private final CostObserver observer;
  private @Nullable ProcessorContext<String, PricedUsage> context;
  private @Nullable KeyValueStore<String, ValueAndTimestamp<ModelPrice>> prices;
  private final Map<Models, List<String>> candidates = new HashMap<>();

  private PriceEachEvent(String pricesStore, CostObserver observer) {
    this.pricesStore = pricesStore;
    this.observer = observer;
  }

  static ProcessorSupplier<String, UsageEvent, String, PricedUsage> supplier(String pricesStore, CostObserver observer) {
    requireNonNull(pricesStore, "pricesStore");
    requireNonNull(observer, "observer");
    return () -> new PriceEachEvent(pricesStore, observer);
  }

  /** The price keys to try for an event: a pure function of three of its fields, worked out once per model. */
  private List<String> candidates(UsageEvent event) {
    Models models = new Models(event.provider(), event.responseModel(), event.providerModel());
    List<String> keys = candidates.get(models);
    if (keys == null) {
      if (candidates.size() >= REMEMBERED_MODELS) {
        candidates.clear();
      }
      keys = PriceLookup.candidates(event);
      candidates.put(models, keys);
    }
    return keys;
  }

  private record Models(@Nullable String provider, @Nullable String responseModel, @Nullable String providerModel) {}

  @Override
  public void init(ProcessorContext<String, PricedUsage> context) {
    this.context = context;
    this.prices = context.getStateStore(pricesStore);
  }

  @Override
  public void process(Record<String, UsageEvent> record) {
    UsageEvent event = record.value();
    KeyValueStore<String, ValueAndTimestamp<ModelPrice>> catalog = requireNonNull(prices, "prices");
    Cost cost = PriceLookup.cost(candidates(event), event.tokens(), key -> ValueAndTimestamp.getValueOrNull(catalog.get(key)));
    if (cost.isUnpriced() && (event.tokens().inputTokens() > 0 || event.tokens().outputTokens() > 0)) {
      LOG.debug(
          "no price for a usage event: eventId={} provider={} model={}",
          event.eventId(),
          event.provider(),
          event.effectiveModel());
    }
    observer.priced(event, cost);
    requireNonNull(context, "context").forward(record.withValue(new PricedUsage(event, cost)));
  }
}

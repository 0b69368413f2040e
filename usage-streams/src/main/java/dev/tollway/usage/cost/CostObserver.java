package dev.tollway.usage.cost;

import dev.tollway.schemas.usage.UsageEvent;

/** Told about every event once it is priced (metrics); must be cheap and must not throw. */
@FunctionalInterface
public interface CostObserver {

  void priced(UsageEvent event, Cost cost);

  /** An observer that does nothing. */
  static CostObserver none() {
    return (event, cost) -> {};
  }
}

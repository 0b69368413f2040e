package dev.tollway.usage.cost;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.UsageEvent;

/**
 * A usage event with its cost.
 *
 * @param event the event
 * @param cost what it cost
 */
public record PricedUsage(UsageEvent event, Cost cost) {

  public PricedUsage {
    requireNonNull(event, "event");
    requireNonNull(cost, "cost");
  }
}

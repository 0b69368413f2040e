package dev.tollway.edge.usage;

import dev.tollway.schemas.usage.UsageEvent;

/** Where usage events go. {@link #submit} never blocks and never throws. */
@FunctionalInterface
public interface UsageSink {

  /** Hands over an event; returns false when it had to be dropped. */
  boolean submit(UsageEvent event);
}

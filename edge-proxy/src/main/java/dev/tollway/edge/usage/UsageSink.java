package dev.tollway.edge.usage;

import dev.tollway.schemas.usage.UsageEvent;

/** Where usage events go. {@link #submit} never blocks and never throws. */
@FunctionalInterface
public interface UsageSink {

  /** Hands over an event; returns false when it had to be dropped. */
  boolean submit(UsageEvent event);

  /**
   * Whether a new request may go upstream: false only when the buffer is full and the overflow policy is
   * fail-closed (a request that cannot be metered is refused rather than served).
   */
  default boolean accepting() {
    return true;
  }
}

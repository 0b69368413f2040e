package dev.tollway.usage.aggregate;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageAggregate;
import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.schemas.usage.UsageEvent;
import java.time.Instant;

/**
 * Requests, errors and tokens summed over some set of usage events: the value of the per-minute window
 * store. Requests and errors come from final events only (one per request); tokens from every event, so
 * the tokens of failed attempts that a retry replaced are counted too.
 *
 * @param requests final events
 * @param errors final events with a status of 400 or more
 * @param inputTokens input tokens, cache-inclusive
 * @param cacheReadInputTokens input tokens read from cache
 * @param cacheCreationInputTokens input tokens written to cache
 * @param outputTokens output tokens, reasoning included
 * @param reasoningTokens reasoning tokens
 * @param totalTokens input plus output tokens
 */
public record UsageCounts(
    long requests,
    long errors,
    long inputTokens,
    long cacheReadInputTokens,
    long cacheCreationInputTokens,
    long outputTokens,
    long reasoningTokens,
    long totalTokens) {

  private static final UsageCounts ZERO = new UsageCounts(0, 0, 0, 0, 0, 0, 0, 0);

  /** Nothing counted yet. */
  public static UsageCounts zero() {
    return ZERO;
  }

  /** The counts of one event on its own. */
  public static UsageCounts of(UsageEvent event) {
    requireNonNull(event, "event");
    TokenUsage tokens = event.tokens();
    boolean answered = event.finalAttempt();
    return new UsageCounts(
        answered ? 1 : 0,
        answered && event.status() >= 400 ? 1 : 0,
        tokens.inputTokens(),
        tokens.cacheReadInputTokens(),
        tokens.cacheCreationInputTokens(),
        tokens.outputTokens(),
        tokens.reasoningTokens(),
        tokens.totalTokens());
  }

  /** These counts with one more event added. */
  public UsageCounts add(UsageEvent event) {
    return plus(of(event));
  }

  /** The sum of these counts and {@code other}. */
  public UsageCounts plus(UsageCounts other) {
    requireNonNull(other, "other");
    return new UsageCounts(
        requests + other.requests,
        errors + other.errors,
        inputTokens + other.inputTokens,
        cacheReadInputTokens + other.cacheReadInputTokens,
        cacheCreationInputTokens + other.cacheCreationInputTokens,
        outputTokens + other.outputTokens,
        reasoningTokens + other.reasoningTokens,
        totalTokens + other.totalTokens);
  }

  /** These counts as the contract's aggregate of one window and one combination of dimensions. */
  public UsageAggregate toAggregate(UsageDimensions dimensions, Instant windowStart, Instant windowEnd) {
    return new UsageAggregate(
        UsageAggregate.SCHEMA_VERSION,
        windowStart,
        windowEnd,
        dimensions,
        requests,
        errors,
        inputTokens,
        cacheReadInputTokens,
        cacheCreationInputTokens,
        outputTokens,
        reasoningTokens,
        totalTokens);
  }
}

package dev.tollway.schemas.usage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Requests and tokens of one minute for one combination of gateway, route, backend, provider and model:
 * published by usage-streams on {@code tollway.usage.minute.v1}, keyed by {@link #key()}. Each update of a
 * window replaces the previous value for the same key.
 *
 * @param schemaVersion version of this payload's schema
 * @param windowStart start of the minute (inclusive)
 * @param windowEnd end of the minute (exclusive)
 * @param dimensions what the counts are grouped by
 * @param requests requests answered (final attempts)
 * @param errors requests answered with a status of 400 or more
 * @param inputTokens input tokens, cache-inclusive
 * @param cacheReadInputTokens input tokens read from cache
 * @param cacheCreationInputTokens input tokens written to cache
 * @param outputTokens output tokens, reasoning included
 * @param reasoningTokens reasoning tokens
 * @param totalTokens input plus output tokens
 */
public record UsageAggregate(
    int schemaVersion,
    Instant windowStart,
    Instant windowEnd,
    UsageDimensions dimensions,
    long requests,
    long errors,
    long inputTokens,
    long cacheReadInputTokens,
    long cacheCreationInputTokens,
    long outputTokens,
    long reasoningTokens,
    long totalTokens) {

  public static final int SCHEMA_VERSION = 1;

  public UsageAggregate {
    requireNonNull(windowStart, "windowStart");
    requireNonNull(windowEnd, "windowEnd");
    requireNonNull(dimensions, "dimensions");
  }

  /** The record key on the topic: the dimensions and the window start. */
  public String key() {
    return dimensions.key() + "@" + windowStart;
  }
}

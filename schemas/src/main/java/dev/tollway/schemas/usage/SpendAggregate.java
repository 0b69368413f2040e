package dev.tollway.schemas.usage;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;

/**
 * What one day cost, for one combination of key, team, model, provider and route: published by usage-streams
 * on {@code tollway.spend.daily.v1}, keyed by {@link #key()}. A later record for the same key replaces the earlier
 * one (the day's running total).
 *
 * @param schemaVersion version of this payload's schema
 * @param day the calendar day, in {@link #timeZone()}
 * @param timeZone the time zone of the day
 * @param dimensions what the spend is grouped by
 * @param requests requests answered (final attempts)
 * @param errors requests answered with a status of 400 or more
 * @param inputTokens input tokens, cache-inclusive
 * @param cacheReadInputTokens input tokens read from cache
 * @param cacheCreationInputTokens input tokens written to cache
 * @param outputTokens output tokens, reasoning included
 * @param reasoningTokens reasoning tokens
 * @param totalTokens input plus output
 * @param costNanoUsd the cost, in nano-dollars (US dollars times 10^9)
 * @param unpricedRequests requests whose model had no price: their tokens are counted, their cost is NOT in
 *     {@link #costNanoUsd()}
 * @param estimatedRequests requests priced with a fallback rate (a missing cache or reasoning rate)
 */
public record SpendAggregate(
    int schemaVersion,
    LocalDate day,
    String timeZone,
    SpendDimensions dimensions,
    long requests,
    long errors,
    long inputTokens,
    long cacheReadInputTokens,
    long cacheCreationInputTokens,
    long outputTokens,
    long reasoningTokens,
    long totalTokens,
    long costNanoUsd,
    long unpricedRequests,
    long estimatedRequests) {

  public static final int SCHEMA_VERSION = 1;

  public SpendAggregate {
    requireNonNull(day, "day");
    requireNonNull(timeZone, "timeZone");
    requireNonNull(dimensions, "dimensions");
  }

  /** The record key on the topic: the dimensions and the day. */
  public String key() {
    return dimensions.key() + "@" + day;
  }
}

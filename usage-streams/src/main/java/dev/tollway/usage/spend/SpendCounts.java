package dev.tollway.usage.spend;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.SpendAggregate;
import dev.tollway.schemas.usage.SpendDimensions;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.cost.Cost;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Requests, tokens and cost summed over some usage events of one spend group: the value of the daily spend
 * store. Requests, errors and the unpriced and estimated counts come from final events (one per request);
 * tokens and cost from every event, so failed attempts that consumed tokens are charged too.
 *
 * @param apiKeyName the name of the API key, as the latest event gave it (the store is keyed by key id, so a
 *     renamed key stays one group)
 * @param requests final events
 * @param errors final events with a status of 400 or more
 * @param inputTokens input tokens, cache-inclusive
 * @param cacheReadInputTokens input tokens read from cache
 * @param cacheCreationInputTokens input tokens written to cache
 * @param outputTokens output tokens, reasoning included
 * @param reasoningTokens reasoning tokens
 * @param totalTokens input plus output tokens
 * @param costNanoUsd the cost in nano-dollars, of priced events only
 * @param unpricedRequests requests whose model had no price (their tokens are counted, their cost is not)
 * @param estimatedRequests requests priced with a fallback rate
 */
public record SpendCounts(
    String apiKeyName,
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

  private static final SpendCounts ZERO = new SpendCounts("", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  public SpendCounts {
    requireNonNull(apiKeyName, "apiKeyName");
  }

  /** Nothing counted yet. */
  public static SpendCounts zero() {
    return ZERO;
  }

  /**
   * The counts of one event and its cost. A request counts as unpriced when its final event used tokens
   * that no price matched, and as estimated when its final event was priced with a fallback rate.
   */
  public static SpendCounts of(UsageEvent event, Cost cost) {
    requireNonNull(event, "event");
    requireNonNull(cost, "cost");
    TokenUsage tokens = event.tokens();
    boolean answered = event.finalAttempt();
    String name = event.caller().apiKeyName();
    return new SpendCounts(
        name == null ? "" : name,
        answered ? 1 : 0,
        answered && event.status() >= 400 ? 1 : 0,
        tokens.inputTokens(),
        tokens.cacheReadInputTokens(),
        tokens.cacheCreationInputTokens(),
        tokens.outputTokens(),
        tokens.reasoningTokens(),
        tokens.totalTokens(),
        cost.nanoUsd(),
        answered && cost.isUnpriced() && usedTokens(tokens) ? 1 : 0,
        answered && cost.isEstimated() ? 1 : 0);
  }

  /** The group an event's spend is kept under: its dimensions with the key's name left out. */
  public static SpendDimensions groupOf(UsageEvent event) {
    return withoutName(SpendDimensions.of(requireNonNull(event, "event")));
  }

  /** {@code dimensions} with an empty key name, as the store keys them. */
  public static SpendDimensions withoutName(SpendDimensions dimensions) {
    return new SpendDimensions(
        dimensions.apiKeyId(),
        "",
        dimensions.team(),
        dimensions.model(),
        dimensions.provider(),
        dimensions.route(),
        dimensions.gateway());
  }

  /** The sum of these counts and {@code other}; the key name is the later non-empty one. */
  public SpendCounts plus(SpendCounts other) {
    requireNonNull(other, "other");
    return new SpendCounts(
        other.apiKeyName.isEmpty() ? apiKeyName : other.apiKeyName,
        requests + other.requests,
        errors + other.errors,
        inputTokens + other.inputTokens,
        cacheReadInputTokens + other.cacheReadInputTokens,
        cacheCreationInputTokens + other.cacheCreationInputTokens,
        outputTokens + other.outputTokens,
        reasoningTokens + other.reasoningTokens,
        totalTokens + other.totalTokens,
        costNanoUsd + other.costNanoUsd,
        unpricedRequests + other.unpricedRequests,
        estimatedRequests + other.estimatedRequests);
  }

  /** These counts as the contract's daily aggregate of one group. */
  public SpendAggregate toAggregate(SpendDimensions group, LocalDate day, ZoneId zone) {
    requireNonNull(group, "group");
    requireNonNull(day, "day");
    requireNonNull(zone, "zone");
    SpendDimensions named =
        new SpendDimensions(
            group.apiKeyId(), apiKeyName, group.team(), group.model(), group.provider(), group.route(), group.gateway());
    return new SpendAggregate(
        SpendAggregate.SCHEMA_VERSION,
        day,
        zone.getId(),
        named,
        requests,
        errors,
        inputTokens,
        cacheReadInputTokens,
        cacheCreationInputTokens,
        outputTokens,
        reasoningTokens,
        totalTokens,
        costNanoUsd,
        unpricedRequests,
        estimatedRequests);
  }

  private static boolean usedTokens(TokenUsage tokens) {
    return tokens.inputTokens() > 0 || tokens.outputTokens() > 0;
  }
}

package dev.tollway.schemas.usage;

import static java.util.Objects.requireNonNull;

/**
 * Tokens of one request or attempt, with the same meaning whatever the provider.
 *
 * @param inputTokens {@code gen_ai.usage.input_tokens}: all input tokens, including those read from or
 *     written to the provider's prompt cache
 * @param cacheReadInputTokens {@code gen_ai.usage.cache_read.input_tokens}: input tokens served from cache
 * @param cacheCreationInputTokens {@code gen_ai.usage.cache_creation.input_tokens}: input tokens written to
 *     the cache
 * @param outputTokens {@code gen_ai.usage.output_tokens}: all output tokens, reasoning included
 * @param reasoningTokens {@code gen_ai.usage.reasoning_tokens}: output tokens spent on reasoning
 * @param totalTokens input plus output
 * @param source where the counts come from
 * @param streamCompleted false when a stream ended before the provider finished it; the counts are then
 *     what was seen so far
 */
public record TokenUsage(
    long inputTokens,
    long cacheReadInputTokens,
    long cacheCreationInputTokens,
    long outputTokens,
    long reasoningTokens,
    long totalTokens,
    Source source,
    boolean streamCompleted) {

  public TokenUsage {
    requireNonNull(source, "source");
  }

  public static TokenUsage none() {
    return new TokenUsage(0, 0, 0, 0, 0, 0, Source.none, true);
  }

  /** Where token counts come from. */
  public enum Source {
    /** The provider reported them. */
    provider,
    /** The proxy estimated them because the provider did not report them. */
    estimated,
    /** No tokens were used (no upstream call). */
    none
  }
}

package dev.tollway.edge.llm;

/**
 * Token counts with one meaning whatever the provider.
 *
 * @param input input tokens, cache-inclusive (Anthropic's {@code input_tokens} plus its cache read and cache
 *     creation tokens; OpenAI's and Gemini's prompt tokens as they are)
 * @param cacheRead input tokens read from the prompt cache
 * @param cacheWrite input tokens written to the prompt cache
 * @param output output tokens, reasoning included
 * @param reasoning output tokens spent on reasoning
 */
public record TokenCounts(long input, long cacheRead, long cacheWrite, long output, long reasoning) {

  public static final TokenCounts ZERO = new TokenCounts(0, 0, 0, 0, 0);

  public long total() {
    return input + output;
  }
}

package dev.tollway.schemas.price;

import org.jspecify.annotations.Nullable;

/**
 * Per-token-type rates, in nano-dollars per million tokens.
 *
 * @param input uncached input tokens
 * @param output output tokens
 * @param cacheRead input tokens read from the prompt cache; absent means the input rate (flagged in the spend
 *     rows as an estimate)
 * @param cacheWrite input tokens written to the prompt cache; absent means the input rate (flagged likewise)
 * @param reasoning reasoning tokens; absent means the output rate
 */
public record TokenRates(
    long input, long output, @Nullable Long cacheRead, @Nullable Long cacheWrite, @Nullable Long reasoning) {}

package dev.tollway.usage.cost;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.price.TokenRates;
import dev.tollway.schemas.usage.TokenUsage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Turns tokens and a price into nano-dollars.
 *
 * <p>Rates are nano-dollars per million tokens. The event's tokens are split so that no token is priced twice:
 *
 * <ul>
 *   <li>uncached input = input − cache reads − cache writes, at {@code input};
 *   <li>cache reads at {@code cacheRead}, or at {@code input} when the price has none (estimated);
 *   <li>cache writes at {@code cacheWrite}, or at {@code input} when the price has none (estimated);
 *   <li>non-reasoning output = output − reasoning, at {@code output};
 *   <li>reasoning at {@code reasoning}, or at {@code output} when the price has none (providers bill reasoning
 *       as output, so this is not an estimate).
 * </ul>
 *
 * <p>Long-context tiers: the tier with the highest threshold below the event's input tokens replaces the
 * base rates for ALL the event's tokens. Counts that do not add up (more cached than input tokens, more
 * reasoning than output tokens) are clamped at zero and the cost is flagged as estimated.
 *
 * <p>Rounding: the exact sum of {@code tokens × rate} over the five parts is divided by 10^6 once and rounded
 * half up to whole nano-dollars. Each event is rounded on its own, so a sum of events is off by at most half
 * a nano-dollar per event from pricing their summed tokens.
 */
public final class CostCalculator {

  private static final BigInteger PER_MILLION = BigInteger.valueOf(1_000_000);
  private static final long MILLION = 1_000_000L;
  private static final long HALF_MILLION = 500_000L;

  private CostCalculator() {}

  /** The cost of {@code tokens} at {@code price}. */
  public static Cost cost(TokenUsage tokens, ModelPrice price) {
    requireNonNull(tokens, "tokens");
    requireNonNull(price, "price");
    TokenRates rates = ratesFor(price, tokens.inputTokens());
    boolean estimated = false;

    long cacheRead = Math.max(0, tokens.cacheReadInputTokens());
    long cacheWrite = Math.max(0, tokens.cacheCreationInputTokens());
    long uncachedInput = tokens.inputTokens() - cacheRead - cacheWrite;
    if (uncachedInput < 0) {
      uncachedInput = 0;
      estimated = true;
    }
    long reasoning = Math.max(0, tokens.reasoningTokens());
    long plainOutput = tokens.outputTokens() - reasoning;
    if (plainOutput < 0) {
      plainOutput = 0;
      estimated = true;
    }

    Long cacheReadRate = rates.cacheRead();
    if (cacheReadRate == null) {
      cacheReadRate = rates.input();
      estimated |= cacheRead > 0;
    }
    Long cacheWriteRate = rates.cacheWrite();
    if (cacheWriteRate == null) {
      cacheWriteRate = rates.input();
      estimated |= cacheWrite > 0;
    }
    Long reasoningRate = rates.reasoning();
    if (reasoningRate == null) {
      reasoningRate = rates.output();
    }

    long[] tokenCounts = {uncachedInput, cacheRead, cacheWrite, plainOutput, reasoning};
    long[] tokenRates = {rates.input(), cacheReadRate, cacheWriteRate, rates.output(), reasoningRate};
    long nanoUsd = nanoUsd(tokenCounts, tokenRates);
    return new Cost(nanoUsd, estimated ? PriceStatus.ESTIMATED : PriceStatus.EXACT, price.key());
  }

  /**
   * The rates that apply to a request with {@code inputTokens} input tokens: the tier with the highest
   * threshold the input exceeds, else the base rates.
   */
  public static TokenRates ratesFor(ModelPrice price, long inputTokens) {
    requireNonNull(price, "price");
    TokenRates chosen = price.rates();
    long chosenThreshold = -1;
    for (ModelPrice.PriceTier tier : price.tiers()) {
      if (inputTokens > tier.aboveInputTokens() && tier.aboveInputTokens() > chosenThreshold) {
        chosen = tier.rates();
        chosenThreshold = tier.aboveInputTokens();
      }
    }
    return chosen;
  }

  /**
   * {@code Σ tokens × rate / 10^6}, rounded half up: in {@code long} arithmetic while every product and the sum
   * fit (every realistic request), else exactly in {@link BigInteger}. Counts and rates are not negative.
   */
  private static long nanoUsd(long[] tokenCounts, long[] tokenRates) {
    long sum = 0;
    for (int i = 0; i < tokenCounts.length; i++) {
      long tokens = tokenCounts[i];
      long rate = Math.max(0, tokenRates[i]);
      long product = tokens * rate;
      if (Math.multiplyHigh(tokens, rate) != 0 || product < 0 || sum + product < 0) {
        return exactNanoUsd(tokenCounts, tokenRates);
      }
      sum += product;
    }
    if (sum > Long.MAX_VALUE - HALF_MILLION) {
      return exactNanoUsd(tokenCounts, tokenRates);
    }
    return (sum + HALF_MILLION) / MILLION;
  }

  private static long exactNanoUsd(long[] tokenCounts, long[] tokenRates) {
    BigInteger scaled = BigInteger.ZERO;
    for (int i = 0; i < tokenCounts.length; i++) {
      scaled = scaled.add(product(tokenCounts[i], tokenRates[i]));
    }
    return new BigDecimal(scaled).divide(new BigDecimal(PER_MILLION), 0, RoundingMode.HALF_UP).longValueExact();
  }

  private static BigInteger product(long tokens, long rate) {
    return BigInteger.valueOf(tokens).multiply(BigInteger.valueOf(Math.max(0, rate)));
  }
}

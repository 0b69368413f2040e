package dev.tollway.config.price;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * Exact conversions of US dollar amounts to the integer nano-dollars of the contracts. Nothing is rounded: an
 * amount finer than the target unit, negative or too large is refused with a message saying so.
 */
public final class NanoUsd {

  private NanoUsd() {}

  /**
   * Nano-dollars per million tokens from US dollars per token (LiteLLM's unit): times 10^15.
   *
   * @throws IllegalArgumentException when the result is not a whole number, negative, or does not fit a long
   */
  public static long perMillionTokensFromUsdPerToken(BigDecimal usdPerToken) {
    return exact(usdPerToken, 15, "USD per token, 0 or more, at most 15 decimals");
  }

  /**
   * Nano-dollars per million tokens from US dollars per million tokens (the unit of the {@code ModelPrice}
   * resource): times 10^9.
   *
   * @throws IllegalArgumentException when the result is not a whole number, negative, or does not fit a long
   */
  public static long perMillionTokensFromUsdPerMillion(BigDecimal usdPerMillion) {
    return exact(usdPerMillion, 9, "USD per million tokens, 0 or more, at most 9 decimals");
  }

  /**
   * Nano-dollars from US dollars: times 10^9.
   *
   * @throws IllegalArgumentException when the result is not a whole number, negative, or does not fit a long
   */
  public static long fromUsd(BigDecimal usd) {
    return exact(usd, 9, "USD, 0 or more, at most 9 decimals");
  }

  /** Nano-dollars as a plain US dollar amount for messages: {@code 3750000000} is {@code 3.75}. */
  public static String toUsd(long nanos) {
    return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
  }

  private static long exact(BigDecimal amount, int shift, String expected) {
    requireNonNull(amount, "amount");
    BigDecimal shifted = amount.movePointRight(shift);
    if (amount.signum() < 0 || shifted.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(amount.toPlainString() + " (expected: " + expected + ")");
    }
    try {
      return shifted.longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(amount.toPlainString() + " (expected: " + expected + "; too large)");
    }
  }
}

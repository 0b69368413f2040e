package dev.tollway.usage.cost;

import java.math.BigDecimal;

/** Amounts in nano-dollars written as dollars. */
public final class Money {

  /** Nano-dollars in one dollar. */
  public static final long NANOS_PER_USD = 1_000_000_000L;

  private Money() {}

  /**
   * The exact decimal form of an amount, always with nine decimals: {@code 1234500000} is {@code "1.234500000"},
   * {@code 5} is {@code "0.000000005"}.
   */
  public static String usd(long nanoUsd) {
    return BigDecimal.valueOf(nanoUsd, 9).toPlainString();
  }
}

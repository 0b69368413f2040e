package dev.tollway.edge.provider.wire;

import org.jspecify.annotations.Nullable;

/**
 * Between OpenAI's {@code reasoning_effort} and the thinking budgets in tokens of Anthropic and Gemini: low
 * is 1,024 tokens, medium 8,192, high 24,576 (Gemini 2.5's largest budget); {@code none} and
 * {@code minimal} turn thinking off.
 */
public final class Reasoning {

  public static final long LOW = 1_024;
  public static final long MEDIUM = 8_192;
  public static final long HIGH = 24_576;

  private Reasoning() {}

  /** The budget for an effort; 0 means no thinking; null for an unknown effort. */
  public static @Nullable Long budgetFor(String effort) {
    return switch (effort) {
      case "none", "minimal" -> 0L;
      case "low" -> LOW;
      case "medium" -> MEDIUM;
      case "high", "xhigh" -> HIGH;
      default -> null;
    };
  }

  /** The effort nearest to a budget. */
  public static String effortFor(long budget) {
    if (budget <= 0) {
      return "minimal";
    }
    if (budget <= LOW) {
      return "low";
    }
    return budget <= MEDIUM ? "medium" : "high";
  }

  /**
   * The thinking budget a request asks for: its explicit budget, else its effort's, else null (no
   * thinking asked).
   */
  public static @Nullable Long requestedBudget(@Nullable Long budget, @Nullable String effort) {
    if (budget != null) {
      return budget;
    }
    return effort == null ? null : budgetFor(effort);
  }
}

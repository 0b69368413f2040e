package dev.tollway.usage.testing;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.price.TokenRates;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Prices and budgets for tests. */
public final class Prices {

  private Prices() {}

  /** A price without tiers; rates in nano-dollars per million tokens. */
  public static ModelPrice price(
      String provider,
      String model,
      long input,
      long output,
      @Nullable Long cacheRead,
      @Nullable Long cacheWrite,
      @Nullable Long reasoning) {
    return new ModelPrice(
        ModelPrice.SCHEMA_VERSION,
        provider,
        model,
        new TokenRates(input, output, cacheRead, cacheWrite, reasoning),
        List.of(),
        "test",
        "catalog");
  }

  /** A price with tiers. */
  public static ModelPrice price(String provider, String model, TokenRates rates, List<ModelPrice.PriceTier> tiers) {
    return new ModelPrice(ModelPrice.SCHEMA_VERSION, provider, model, rates, tiers, "test", "catalog");
  }

  /** A budget. */
  public static Budget budget(
      String name,
      Budget.SubjectType type,
      String subject,
      Budget.Window window,
      String zone,
      long limit,
      Budget.Unit unit) {
    return new Budget(Budget.SCHEMA_VERSION, name, type, subject, window, zone, limit, unit);
  }
}

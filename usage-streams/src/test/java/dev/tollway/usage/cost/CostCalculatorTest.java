package dev.tollway.usage.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.price.ModelPrice.PriceTier;
import dev.tollway.schemas.price.TokenRates;
import dev.tollway.schemas.usage.TokenUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cost against values computed by hand. Rates are nano-dollars per million tokens, so a rate of
 * 3,000,000,000 ($3 per million) is 3,000 nano-dollars per token.
 */
class CostCalculatorTest {

  /** claude-sonnet-4: $3 / $15 per million, cache reads $0.30, cache writes $3.75; above 200k input: double-ish. */
  private static final ModelPrice SONNET =
      price(
          "anthropic",
          "claude-sonnet-4-20250514",
          new TokenRates(3_000_000_000L, 15_000_000_000L, 300_000_000L, 3_750_000_000L, null),
          List.of(
              new PriceTier(
                  200_000, new TokenRates(6_000_000_000L, 22_500_000_000L, 600_000_000L, 7_500_000_000L, null))));

  /** o3: $2 / $8 per million, cache reads $0.50, no reasoning rate (reasoning is billed as output). */
  private static final ModelPrice O3 =
      price("openai", "o3", new TokenRates(2_000_000_000L, 8_000_000_000L, 500_000_000L, null, null), List.of());

  @Test
  void shouldPriceInputAndOutputAtTheirRates() {
    // Given 1,000 input and 500 output tokens
    TokenUsage tokens = tokens(1000, 0, 0, 500, 0);

    // When
    Cost cost = CostCalculator.cost(tokens, SONNET);

    // Then 1,000 × 3,000 + 500 × 15,000 nano-dollars
    assertThat(cost).isEqualTo(new Cost(10_500_000L, PriceStatus.EXACT, "anthropic/claude-sonnet-4-20250514"));
  }

  @Test
  void shouldPriceCachedInputAtTheCacheReadRateAndNotTwice() {
    // Given 10,000 input tokens of which 8,000 were read from cache, and 200 output tokens
    TokenUsage tokens = tokens(10_000, 8_000, 0, 200, 0);

    // When
    Cost cost = CostCalculator.cost(tokens, SONNET);

    // Then 2,000 × 3,000 + 8,000 × 300 + 200 × 15,000 (pricing all 10,000 at the input rate too would be 32,400,000)
    assertThat(cost.nanoUsd()).isEqualTo(11_400_000L);
    assertThat(cost.status()).isEqualTo(PriceStatus.EXACT);
  }

  @Test
  void shouldPriceCacheWritesAtTheCacheWriteRate() {
    // Given 5,000 input tokens of which 4,000 were written to cache, and 100 output tokens
    TokenUsage tokens = tokens(5_000, 0, 4_000, 100, 0);

    // When
    Cost cost = CostCalculator.cost(tokens, SONNET);

    // Then 1,000 × 3,000 + 4,000 × 3,750 + 100 × 15,000
    assertThat(cost.nanoUsd()).isEqualTo(19_500_000L);
    assertThat(cost.status()).isEqualTo(PriceStatus.EXACT);
  }

  @Test
  void shouldPriceReasoningAtTheOutputRateWhenThePriceHasNoReasoningRate() {
    // Given 1,200 input tokens (1,000 cached) and 3,000 output tokens of which 2,500 were reasoning
    TokenUsage tokens = tokens(1_200, 1_000, 0, 3_000, 2_500);

    // When
    Cost cost = CostCalculator.cost(tokens, O3);

    // Then 200 × 2,000 + 1,000 × 500 + 500 × 8,000 + 2,500 × 8,000, and not flagged: reasoning is billed as output
    assertThat(cost).isEqualTo(new Cost(24_900_000L, PriceStatus.EXACT, "openai/o3"));
  }

  @Test
  void shouldPriceReasoningAtItsOwnRateWhenThePriceHasOne() {
    // Given a price with a reasoning rate of $3.50 per million next to an output rate of $2.50
    ModelPrice flash =
        price(
            "gcp.gemini",
            "gemini-2.5-flash",
            new TokenRates(300_000_000L, 2_500_000_000L, 30_000_000L, null, 3_500_000_000L),
            List.of());

    // When 100 input tokens and 1,000 output tokens of which 800 were reasoning
    Cost cost = CostCalculator.cost(tokens(100, 0, 0, 1_000, 800), flash);

    // Then 100 × 300 + 200 × 2,500 + 800 × 3,500
    assertThat(cost.nanoUsd()).isEqualTo(3_330_000L);
    assertThat(cost.status()).isEqualTo(PriceStatus.EXACT);
  }

  @Test
  void shouldPriceAllTokensAtTheLongContextTierWhenTheInputExceedsItsThreshold() {
    // Given 250,000 input tokens (200,000 cached) and 1,000 output tokens: above the 200k tier
    TokenUsage tokens = tokens(250_000, 200_000, 0, 1_000, 0);

    // When
    Cost cost = CostCalculator.cost(tokens, SONNET);

    // Then every token at the tier's rates: 50,000 × 6,000 + 200,000 × 600 + 1,000 × 22,500
    assertThat(cost.nanoUsd()).isEqualTo(442_500_000L);
  }

  @Test
  void shouldKeepTheBaseRatesAtExactlyTheThreshold() {
    // Given exactly 200,000 input tokens: the tier applies only above its threshold
    Cost cost = CostCalculator.cost(tokens(200_000, 0, 0, 0, 0), SONNET);

    // Then 200,000 × 3,000
    assertThat(cost.nanoUsd()).isEqualTo(600_000_000L);
  }

  @Test
  void shouldTakeTheHighestTierTheInputExceeds() {
    // Given tiers above 100 and above 1,000 input tokens, listed out of order
    ModelPrice tiered =
        price(
            "openai",
            "m",
            new TokenRates(1_000_000L, 0, null, null, null),
            List.of(
                new PriceTier(1_000, new TokenRates(3_000_000L, 0, null, null, null)),
                new PriceTier(100, new TokenRates(2_000_000L, 0, null, null, null))));

    // When
    long small = CostCalculator.cost(tokens(100, 0, 0, 0, 0), tiered).nanoUsd();
    long middle = CostCalculator.cost(tokens(500, 0, 0, 0, 0), tiered).nanoUsd();
    long large = CostCalculator.cost(tokens(2_000, 0, 0, 0, 0), tiered).nanoUsd();

    // Then 1, 2 and 3 nano-dollars per token
    assertThat(small).isEqualTo(100);
    assertThat(middle).isEqualTo(1_000);
    assertThat(large).isEqualTo(6_000);
  }

  @Test
  void shouldFallBackToTheInputRateForCacheTokensAndFlagTheCostAsEstimated() {
    // Given a price without cache rates, and 1,000 input tokens of which 400 cached and 100 written
    ModelPrice noCacheRates =
        price("openai", "gpt-4o-mini", new TokenRates(150_000_000L, 600_000_000L, null, null, null), List.of());

    // When
    Cost cost = CostCalculator.cost(tokens(1_000, 400, 100, 10, 0), noCacheRates);

    // Then all input at 150 nano-dollars a token, output at 600, flagged as an estimate
    assertThat(cost).isEqualTo(new Cost(156_000L, PriceStatus.ESTIMATED, "openai/gpt-4o-mini"));
  }

  @Test
  void shouldNotFlagAMissingCacheRateWhenNoTokenNeededIt() {
    // Given the same price without cache rates and no cached tokens
    ModelPrice noCacheRates =
        price("openai", "gpt-4o-mini", new TokenRates(150_000_000L, 600_000_000L, null, null, null), List.of());

    // When
    Cost cost = CostCalculator.cost(tokens(1_000, 0, 0, 10, 0), noCacheRates);

    // Then
    assertThat(cost.status()).isEqualTo(PriceStatus.EXACT);
  }

  @Test
  void shouldRoundHalfUpOncePerEvent() {
    // Given rates of 1.5 and 1.499999 nano-dollars per token, and one of 0.000001
    ModelPrice halfAndMore = price("openai", "a", new TokenRates(1_500_000L, 0, null, null, null), List.of());
    ModelPrice justBelowHalf = price("openai", "b", new TokenRates(1_499_999L, 0, null, null, null), List.of());
    ModelPrice tiny = price("openai", "c", new TokenRates(1L, 1L, null, null, null), List.of());

    // When / Then: 1.5 → 2, 1.499999 → 1, 0.000006 → 0, and 3 × 1.5 = 4.5 → 5 (not 3 × 2)
    assertThat(CostCalculator.cost(tokens(1, 0, 0, 0, 0), halfAndMore).nanoUsd()).isEqualTo(2);
    assertThat(CostCalculator.cost(tokens(1, 0, 0, 0, 0), justBelowHalf).nanoUsd()).isEqualTo(1);
    assertThat(CostCalculator.cost(tokens(3, 0, 0, 3, 0), tiny).nanoUsd()).isZero();
    assertThat(CostCalculator.cost(tokens(3, 0, 0, 0, 0), halfAndMore).nanoUsd()).isEqualTo(5);
  }

  @Test
  void shouldClampCountsThatDoNotAddUpAndFlagTheCost() {
    // Given more cached than input tokens and more reasoning than output tokens
    TokenUsage inconsistent = tokens(100, 150, 0, 10, 20);

    // When
    Cost cost = CostCalculator.cost(inconsistent, SONNET);

    // Then no negative part: 150 × 300 cached + 20 × 15,000 reasoning, flagged
    assertThat(cost).isEqualTo(new Cost(345_000L, PriceStatus.ESTIMATED, "anthropic/claude-sonnet-4-20250514"));
  }

  @Test
  void shouldNotOverflowOnHugeCounts() {
    // Given a billion output tokens at $1,000 per million
    ModelPrice expensive = price("openai", "x", new TokenRates(0, 1_000_000_000_000L, null, null, null), List.of());

    // When
    Cost cost = CostCalculator.cost(tokens(0, 0, 0, 1_000_000_000L, 0), expensive);

    // Then $1,000,000
    assertThat(cost.nanoUsd()).isEqualTo(1_000_000L * Money.NANOS_PER_USD);
  }

  @Test
  void shouldRoundTheSameOnBothSidesOfTheLongRange() {
    // Given sums of products just below and just above what a long holds (9.22 × 10^18)
    long rate = 3_000_000_000L;
    ModelPrice price = price("openai", "y", new TokenRates(rate, rate, null, null, null), List.of());
    for (long input : new long[] {1_537_228_000L, 1_537_228_672L, 1_537_228_673L, 3_074_457_345L, 3_074_457_346L}) {
      for (long output : new long[] {0, 1, 1_537_228_673L}) {
        // When
        Cost cost = CostCalculator.cost(tokens(input, 0, 0, output, 0), price);

        // Then it is the exact sum divided by a million and rounded half up
        long expected =
            new java.math.BigDecimal(
                    java.math.BigInteger.valueOf(input).add(java.math.BigInteger.valueOf(output))
                        .multiply(java.math.BigInteger.valueOf(rate)))
                .divide(java.math.BigDecimal.valueOf(1_000_000), 0, java.math.RoundingMode.HALF_UP)
                .longValueExact();
        assertThat(cost.nanoUsd()).as("input %d output %d", input, output).isEqualTo(expected);
      }
    }
  }

  static ModelPrice price(String provider, String model, TokenRates rates, List<PriceTier> tiers) {
    return new ModelPrice(ModelPrice.SCHEMA_VERSION, provider, model, rates, tiers, "test", "catalog");
  }

  static TokenUsage tokens(long input, long cacheRead, long cacheWrite, long output, long reasoning) {
    return new TokenUsage(
        input, cacheRead, cacheWrite, output, reasoning, input + output, TokenUsage.Source.provider, true);
  }
}

package dev.tollway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.budget.BudgetCompiler;
import dev.tollway.config.budget.BudgetResult;
import dev.tollway.config.price.LiteLlmTable;
import dev.tollway.config.price.PriceCompiler;
import dev.tollway.config.price.PriceResult;
import dev.tollway.config.watch.FolderSource;
import dev.tollway.config.watch.SourceState;
import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.budget.Budget.SubjectType;
import dev.tollway.schemas.budget.Budget.Unit;
import dev.tollway.schemas.budget.Budget.Window;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.price.ModelPrice.PriceTier;
import dev.tollway.schemas.price.TokenRates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The commented examples in {@code examples/metering} are valid and mean what their comments say. */
class MeteringExamplesTest {

  private static final Path EXAMPLES = Path.of("..", "examples", "metering");

  @Test
  void shouldCompileTheExamplePriceOverridesAndBudgetsWithoutAProblem() throws IOException {
    // Given the example folder
    SourceState read;
    try (FolderSource source = new FolderSource(EXAMPLES, Map.of())) {
      read = source.read();
    }

    // When
    PriceResult prices = PriceCompiler.compile(LiteLlmTable.bundled(), read.state().modelPrices());
    BudgetResult budgets = BudgetCompiler.compile(read.state().budgets());

    // Then
    assertThat(read.problems()).isEmpty();
    assertThat(prices.problems()).isEmpty();
    assertThat(budgets.problems()).isEmpty();
    ModelPrice sonnet = prices.prices().get("anthropic/claude-sonnet-4-20250514");
    assertThat(sonnet.source()).isEqualTo("override:default/claude-sonnet-negotiated");
    assertThat(sonnet.rates()).isEqualTo(new TokenRates(2_700_000_000L, 13_500_000_000L, 270_000_000L,
        3_375_000_000L, null));
    assertThat(sonnet.tiers()).containsExactly(new PriceTier(200_000, new TokenRates(5_400_000_000L,
        20_250_000_000L, 540_000_000L, 6_750_000_000L, null)));
    assertThat(prices.prices().get("openai/llama3.1:8b").rates())
        .isEqualTo(new TokenRates(0, 100_000_000L, null, null, null));
    assertThat(budgets.budgets()).containsExactly(
        Map.entry("default/alice-hourly-tokens", new Budget(1, "default/alice-hourly-tokens", SubjectType.apiKey,
            "default/team-keys/alice", Window.hour, "UTC", 200_000, Unit.tokens)),
        Map.entry("default/payments-daily", new Budget(1, "default/payments-daily", SubjectType.team, "payments",
            Window.day, "Europe/Paris", 50_000_000_000L, Unit.nanoUsd)));
  }
}

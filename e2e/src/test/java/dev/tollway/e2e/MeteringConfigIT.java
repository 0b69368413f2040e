package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.TollwayStack;
import dev.tollway.e2e.support.TopicReader;
import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.topic.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The examples in {@code examples/metering} written to the folder config-service watches reach their compacted
 * topics on the real broker: the price override next to the bundled catalog on {@code tollway.prices.v1}, the
 * budgets on {@code tollway.budgets.v1}, and a deleted budget becomes a tombstone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeteringConfigIT {

  private static final Duration PUBLISHED = Duration.ofSeconds(60);
  private static final Path EXAMPLES = Path.of("..", "examples", "metering");

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private TollwayStack tollway;

  @BeforeAll
  void startTollway() {
    tollway = TollwayStack.start(KAFKA);
  }

  @AfterAll
  void stopTollway() {
    if (tollway != null) {
      tollway.close();
    }
  }

  @Test
  void shouldPublishAPriceOverrideAndBudgetsWrittenToTheFolderAndTombstoneADeletedBudget() throws IOException {
    // Given the running stack
    // When the example price overrides and budgets are applied
    tollway.applyYaml("model-price.yaml", Files.readString(EXAMPLES.resolve("model-price.yaml")));
    tollway.applyYaml("budget.yaml", Files.readString(EXAMPLES.resolve("budget.yaml")));

    // Then the prices topic holds the override, the model it adds and the rest of the catalog
    try (TopicReader prices = new TopicReader(KAFKA, Topics.PRICES.name())) {
      await().atMost(PUBLISHED).until(() -> prices.read().containsKey("openai/llama3.1:8b"));
      ModelPrice sonnet = prices.latest("anthropic/claude-sonnet-4-20250514", ModelPrice.class);
      assertThat(sonnet.source()).isEqualTo("override:default/claude-sonnet-negotiated");
      assertThat(sonnet.rates().input()).isEqualTo(2_700_000_000L);
      assertThat(sonnet.rates().cacheWrite()).isEqualTo(3_375_000_000L);
      ModelPrice catalog = prices.latest("gcp.gemini/gemini-2.5-pro", ModelPrice.class);
      assertThat(catalog.source()).isEqualTo("catalog");
      assertThat(catalog.tiers()).singleElement().satisfies(t -> assertThat(t.aboveInputTokens()).isEqualTo(200_000));
    }

    // And the budgets topic holds both budgets
    try (TopicReader budgets = new TopicReader(KAFKA, Topics.BUDGETS.name())) {
      await().atMost(PUBLISHED).until(() -> budgets.read().get("default/payments-daily") != null
          && budgets.read().get("default/alice-hourly-tokens") != null);
      Budget payments = budgets.latest("default/payments-daily", Budget.class);
      assertThat(payments.subjectType()).isEqualTo(Budget.SubjectType.team);
      assertThat(payments.limit()).isEqualTo(50_000_000_000L);
      assertThat(payments.unit()).isEqualTo(Budget.Unit.nanoUsd);
      assertThat(payments.timeZone()).isEqualTo("Europe/Paris");

      // When the budgets are deleted
      tollway.delete("budget.yaml");

      // Then each is tombstoned
      await().atMost(PUBLISHED).until(() -> budgets.read().containsKey("default/payments-daily")
          && budgets.read().get("default/payments-daily") == null
          && budgets.read().get("default/alice-hourly-tokens") == null);
    }
  }
}

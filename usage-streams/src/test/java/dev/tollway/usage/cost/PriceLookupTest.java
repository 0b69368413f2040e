package dev.tollway.usage.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.price.TokenRates;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.testing.Events;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceLookupTest {

  @Test
  void shouldTryTheExactModelFirstThenTheUndatedAlias() {
    assertThat(PriceLookup.candidates("anthropic", "claude-sonnet-4-20250514", null))
        .containsExactly("anthropic/claude-sonnet-4-20250514", "anthropic/claude-sonnet-4");
    assertThat(PriceLookup.candidates("openai", "gpt-4o-2024-08-06", "gpt-4o"))
        .containsExactly("openai/gpt-4o-2024-08-06", "openai/gpt-4o");
    assertThat(PriceLookup.candidates("gcp.vertex_ai", "claude-3-5-sonnet-v2@20241022", null))
        .containsExactly("gcp.vertex_ai/claude-3-5-sonnet-v2@20241022", "gcp.vertex_ai/claude-3-5-sonnet-v2");
  }

  @Test
  void shouldTryTheResponseModelBeforeTheModelSent() {
    assertThat(PriceLookup.candidates("openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini"))
        .containsExactly("openai/gpt-4o-mini-2024-07-18", "openai/gpt-4o-mini");
    assertThat(PriceLookup.candidates("openai", null, "gpt-4o-mini")).containsExactly("openai/gpt-4o-mini");
  }

  @Test
  void shouldDropAModelsPrefixAndABedrockRegionPrefix() {
    assertThat(PriceLookup.candidates("gcp.gemini", "models/gemini-2.5-flash", null))
        .containsExactly("gcp.gemini/models/gemini-2.5-flash", "gcp.gemini/gemini-2.5-flash");
    assertThat(PriceLookup.candidates("aws.bedrock", "us.anthropic.claude-3-5-sonnet-20240620-v1:0", null))
        .containsExactly(
            "aws.bedrock/us.anthropic.claude-3-5-sonnet-20240620-v1:0",
            "aws.bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0");
  }

  @Test
  void shouldKeepARegionLikePrefixOutsideBedrock() {
    assertThat(PriceLookup.candidates("openai", "us.some-model", null)).containsExactly("openai/us.some-model");
  }

  @Test
  void shouldHaveNoCandidateWithoutProviderOrModel() {
    assertThat(PriceLookup.candidates(null, "gpt-4o", null)).isEmpty();
    assertThat(PriceLookup.candidates("openai", null, null)).isEmpty();
  }

  @Test
  void shouldPreferTheExactPriceOverTheAliasAndNeverChangeTheProvider() {
    // Given a catalog with the dated model, its alias, and the alias at another provider
    ModelPrice dated = price("anthropic", "claude-sonnet-4-20250514", 3);
    ModelPrice alias = price("anthropic", "claude-sonnet-4", 4);
    ModelPrice elsewhere = price("aws.bedrock", "claude-haiku", 5);
    Map<String, ModelPrice> catalog =
        Map.of(dated.key(), dated, alias.key(), alias, elsewhere.key(), elsewhere);

    // When / Then
    assertThat(find(catalog, "anthropic", "claude-sonnet-4-20250514")).contains(dated);
    assertThat(find(catalog, "anthropic", "claude-sonnet-4-20260101")).contains(alias);
    assertThat(find(catalog, "anthropic", "claude-haiku")).isEmpty();
  }

  private static Optional<ModelPrice> find(Map<String, ModelPrice> catalog, String provider, String model) {
    UsageEvent event = Events.event("e1", "2026-11-26T12:00:00Z").provider(provider).model(model).build();
    return PriceLookup.find(event, catalog::get);
  }

  private static ModelPrice price(String provider, String model, long input) {
    return new ModelPrice(
        ModelPrice.SCHEMA_VERSION, provider, model, new TokenRates(input, input, null, null, null), List.of(), "t", "catalog");
  }
}

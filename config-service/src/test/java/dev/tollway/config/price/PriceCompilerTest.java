package dev.tollway.config.price;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.Manifests;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ConditionStatus;
import dev.tollway.config.status.ResourceStatus;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.price.ModelPrice.PriceTier;
import dev.tollway.schemas.price.TokenRates;
import dev.tollway.schemas.serde.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Operators' ModelPrice resources layered over the catalog. */
class PriceCompilerTest {

  /** A two-model catalog: Claude Sonnet at $3 / $15 (cache $0.30 / $3.75) and gpt-4o at $2.50 / $10. */
  private static final PriceCatalog CATALOG = LiteLlmTable.convert("""
      {"claude-sonnet-4-20250514": {"litellm_provider": "anthropic", "mode": "chat",
          "input_cost_per_token": 3e-6, "output_cost_per_token": 1.5e-5,
          "cache_read_input_token_cost": 3e-7, "cache_creation_input_token_cost": 3.75e-6},
       "gpt-4o": {"litellm_provider": "openai", "mode": "chat",
          "input_cost_per_token": 2.5e-6, "output_cost_per_token": 1e-5}}
      """.getBytes(StandardCharsets.UTF_8));

  private static List<GenericKubernetesResource> resources(String yaml) {
    return Manifests.yaml(yaml).stream().map(GenericKubernetesResource.class::cast).toList();
  }

  private static Condition accepted(PriceResult result, String name) {
    return result.statuses().stream().filter(s -> s.resource().name().equals(name)).findFirst()
        .flatMap(s -> s.condition(Condition.Types.ACCEPTED))
        .orElseThrow(() -> new AssertionError("no Accepted condition for " + name));
  }

  private static final String NEGOTIATED = """
      apiVersion: tollway.dev/v1alpha1
      kind: ModelPrice
      metadata: {name: negotiated-sonnet, namespace: billing}
      spec:
        provider: anthropic
        model: claude-sonnet-4-20250514
        input: "2.70"
        output: 13.5
        cacheRead: "0.27"
        cacheWrite: 3.375
        tiers:
        - aboveInputTokens: 200000
          input: "5.40"
          output: "20.25"
      """;

  @Test
  void shouldReplaceTheCatalogPriceOfTheSameProviderAndModelExactly() {
    // Given a negotiated Claude price, in strings and numbers
    // When
    PriceResult result = PriceCompiler.compile(CATALOG, resources(NEGOTIATED));

    // Then every rate is exact, the tier keeps the base cache rates, and the record names its source
    ModelPrice price = result.prices().get("anthropic/claude-sonnet-4-20250514");
    assertThat(price.rates()).isEqualTo(new TokenRates(2_700_000_000L, 13_500_000_000L, 270_000_000L,
        3_375_000_000L, null));
    assertThat(price.tiers()).containsExactly(new PriceTier(200_000, new TokenRates(5_400_000_000L,
        20_250_000_000L, 270_000_000L, 3_375_000_000L, null)));
    assertThat(price.source()).isEqualTo("override:billing/negotiated-sonnet");
    assertThat(price.catalogVersion()).matches(CATALOG.version() + "\\+override-[0-9a-f]{12}");
    assertThat(result.prices().get("openai/gpt-4o")).isEqualTo(CATALOG.prices().get("openai/gpt-4o"));
    assertThat(result.overrides()).isEqualTo(1);
    assertThat(accepted(result, "negotiated-sonnet")).satisfies(c -> {
      assertThat(c.status()).isEqualTo(ConditionStatus.True);
      assertThat(c.message()).isEqualTo("prices anthropic/claude-sonnet-4-20250514 (replaces the catalog's price)");
    });
  }

  @Test
  void shouldAddAModelTheCatalogLacks() {
    // Given a self-hosted model behind an OpenAI-compatible backend
    List<GenericKubernetesResource> overrides = resources("""
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: llama}
        spec: {provider: openai, model: "llama3.1:8b", input: 0, output: "0.10", reasoning: "0.2"}
        """);

    // When
    PriceResult result = PriceCompiler.compile(CATALOG, overrides);

    // Then
    assertThat(result.prices()).containsKeys("openai/llama3.1:8b", "openai/gpt-4o",
        "anthropic/claude-sonnet-4-20250514");
    assertThat(result.prices().get("openai/llama3.1:8b").rates())
        .isEqualTo(new TokenRates(0, 100_000_000L, null, null, 200_000_000L));
    assertThat(accepted(result, "llama").message()).endsWith("(a model the catalog has no price for)");
  }

  @Test
  void shouldGiveABadResourceAConditionNamingTheFieldAndKeepTheOthers() {
    // Given one good override and several broken ones
    List<GenericKubernetesResource> overrides = resources(NEGOTIATED + """
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: no-output}
        spec: {provider: openai, model: gpt-4o, input: "1"}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: negative}
        spec: {provider: openai, model: gpt-4o, input: "1", output: "-2"}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: too-fine}
        spec: {provider: openai, model: gpt-4o, input: "0.0000000001", output: "1"}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: typo}
        spec: {provider: openai, model: gpt-4o, input: "1", output: "2", cachedRead: "0.5"}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: litellm-name}
        spec: {provider: gemini, model: gemini-2.5-pro, input: "1", output: "2"}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: same-tier-twice}
        spec:
          provider: openai
          model: gpt-4o
          input: "1"
          output: "2"
          tiers: [{aboveInputTokens: 1000, input: "2", output: "3"}, {aboveInputTokens: 1000, input: "2", output: "3"}]
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: words}
        spec: {provider: openai, model: gpt-4o, input: "one dollar", output: "2"}
        """);

    // When
    PriceResult result = PriceCompiler.compile(CATALOG, overrides);

    // Then
    assertThat(result.prices().get("openai/gpt-4o")).isEqualTo(CATALOG.prices().get("openai/gpt-4o"));
    assertThat(result.prices().get("anthropic/claude-sonnet-4-20250514").source())
        .isEqualTo("override:billing/negotiated-sonnet");
    assertThat(accepted(result, "no-output").message())
        .isEqualTo("spec.output: missing (expected: USD per million output tokens)");
    assertThat(accepted(result, "negative").message())
        .isEqualTo("spec.output: -2 (expected: USD per million tokens, 0 or more, at most 9 decimals)");
    assertThat(accepted(result, "too-fine").message())
        .isEqualTo("spec.input: 0.0000000001 (expected: USD per million tokens, 0 or more, at most 9 decimals)");
    assertThat(accepted(result, "typo").message()).isEqualTo("spec.cachedRead: unknown field (expected: "
        + "cacheRead, cacheWrite, input, model, output, provider, reasoning, tiers)");
    assertThat(accepted(result, "litellm-name").message()).isEqualTo("spec.provider: \"gemini\" (expected: one "
        + "of anthropic, aws.bedrock, azure.ai.openai, gcp.gemini, gcp.vertex_ai, openai, as usage events name "
        + "providers; LiteLLM's gemini is gcp.gemini)");
    assertThat(accepted(result, "same-tier-twice").message())
        .isEqualTo("spec.tiers[1].aboveInputTokens: 1000 (expected: a threshold no other tier has)");
    assertThat(accepted(result, "words").message())
        .isEqualTo("spec.input: \"one dollar\" (expected: USD per million tokens such as \"2.50\")");
    assertThat(result.problems()).hasSize(7).allSatisfy(p -> assertThat(p.condition().reason()).isEqualTo("Invalid"));
  }

  @Test
  void shouldLetTheOlderOfTwoOverridesForTheSameModelWinAndMarkTheOtherConflicted() {
    // Given two overrides of gpt-4o, the younger one first by name
    List<GenericKubernetesResource> overrides = resources("""
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: a-newer, namespace: team-a, creationTimestamp: "2026-11-20T10:00:00Z"}
        spec: {provider: openai, model: gpt-4o, input: "1", output: "2"}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: b-older, namespace: team-b, creationTimestamp: "2026-11-01T10:00:00Z"}
        spec: {provider: openai, model: gpt-4o, input: "3", output: "4"}
        """);

    // When
    PriceResult result = PriceCompiler.compile(CATALOG, overrides);

    // Then
    assertThat(result.prices().get("openai/gpt-4o").source()).isEqualTo("override:team-b/b-older");
    assertThat(accepted(result, "b-older").status()).isEqualTo(ConditionStatus.True);
    assertThat(accepted(result, "a-newer")).satisfies(c -> {
      assertThat(c.status()).isEqualTo(ConditionStatus.False);
      assertThat(c.reason()).isEqualTo(PriceCompiler.CONFLICTED);
      assertThat(c.message()).isEqualTo("spec.provider, spec.model: openai/gpt-4o is already priced by ModelPrice "
          + "team-b/b-older, which takes precedence (older, or first by namespace and name)");
    });
  }

  @Test
  void shouldBeDeterministicAndChangeOnlyTheRecordOfTheOverrideThatChanged() {
    // Given two overrides, compiled in both orders
    List<GenericKubernetesResource> overrides = new ArrayList<>(resources(NEGOTIATED + """
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: cheap-4o}
        spec: {provider: openai, model: gpt-4o, input: "2", output: "8"}
        """));
    PriceResult first = PriceCompiler.compile(CATALOG, overrides);
    Collections.reverse(overrides);
    PriceResult reversed = PriceCompiler.compile(CATALOG, overrides);

    // When one of them changes
    List<GenericKubernetesResource> changed = resources(NEGOTIATED + """
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: cheap-4o}
        spec: {provider: openai, model: gpt-4o, input: "2", output: "7"}
        """);
    PriceResult after = PriceCompiler.compile(CATALOG, changed);

    // Then the same inputs give the same bytes, and only the changed record differs
    assertThat(first.prices().values().stream().map(Json::toString).toList())
        .isEqualTo(reversed.prices().values().stream().map(Json::toString).toList());
    assertThat(first.statuses()).isEqualTo(reversed.statuses());
    assertThat(after.prices().get("anthropic/claude-sonnet-4-20250514"))
        .isEqualTo(first.prices().get("anthropic/claude-sonnet-4-20250514"));
    assertThat(after.prices().get("openai/gpt-4o").catalogVersion())
        .isNotEqualTo(first.prices().get("openai/gpt-4o").catalogVersion());
    assertThat(first.statuses()).extracting(ResourceStatus::resource)
        .extracting(r -> r.group() + "/" + r.kind() + " " + r.key())
        .containsExactly("tollway.dev/ModelPrice billing/negotiated-sonnet", "tollway.dev/ModelPrice default/cheap-4o");
  }

  @Test
  void shouldKeepThePreviousPriceOfAnOverrideThatTurnedInvalidUnlessAnotherOverrideTookTheModel() {
    // Given what the topic holds from before: the negotiated Sonnet price and an override of gpt-4o
    PriceResult before = PriceCompiler.compile(CATALOG, resources(NEGOTIATED + """
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: old-4o, creationTimestamp: "2026-11-01T00:00:00Z"}
        spec: {provider: openai, model: gpt-4o, input: "2", output: "8"}
        """));
    // When both are edited into invalid ones, and a new valid override of gpt-4o appears
    List<GenericKubernetesResource> now = resources("""
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: negotiated-sonnet, namespace: billing}
        spec: {provider: anthropic, model: claude-sonnet-4-20250514, input: "2.70"}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: old-4o, creationTimestamp: "2026-11-01T00:00:00Z"}
        spec: {provider: openai, model: gpt-4o, input: "2", output: "eight"}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: new-4o, creationTimestamp: "2026-11-20T00:00:00Z"}
        spec: {provider: openai, model: gpt-4o, input: "1", output: "4"}
        """);
    PriceResult after = PriceCompiler.compile(CATALOG, now, before.prices());

    // Then the negotiated price stays in force, and the valid new override wins gpt-4o
    assertThat(after.prices().get("anthropic/claude-sonnet-4-20250514"))
        .isEqualTo(before.prices().get("anthropic/claude-sonnet-4-20250514"));
    assertThat(after.prices().get("openai/gpt-4o").source()).isEqualTo("override:default/new-4o");
    assertThat(accepted(after, "negotiated-sonnet").message()).isEqualTo(
        "spec.output: missing (expected: USD per million output tokens); the last accepted version stays in force");
    assertThat(accepted(after, "old-4o").message())
        .isEqualTo("spec.output: \"eight\" (expected: USD per million tokens such as \"2.50\")");
    assertThat(after.overrides()).isEqualTo(2);
  }
}

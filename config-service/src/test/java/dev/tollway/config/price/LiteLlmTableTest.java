package dev.tollway.config.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.price.ModelPrice.PriceTier;
import dev.tollway.schemas.price.TokenRates;
import dev.tollway.schemas.serde.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The bundled LiteLLM table converted: hand-checked entries (values read off the JSON file and multiplied by
 * 10^15 by hand), exactness, provider and model mapping, determinism.
 */
class LiteLlmTableTest {

  private static final PriceCatalog BUNDLED = LiteLlmTable.bundled();

  private static ModelPrice price(String provider, String model) {
    ModelPrice price = BUNDLED.prices().get(ModelPrice.key(provider, model));
    assertThat(price).as(provider + "/" + model).isNotNull();
    return price;
  }

  private static String skipReason(String entry) {
    return BUNDLED.skipped().stream().filter(s -> s.entry().equals(entry)).findFirst()
        .orElseThrow(() -> new AssertionError(entry + " is not among the skipped entries")).reason();
  }

  private static PriceCatalog convert(String json) {
    return LiteLlmTable.convert(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldPriceClaudeSonnetWithCacheReadCacheWriteAndItsLongContextTier() {
    // Given the entry claude-sonnet-4-20250514: input 0.000003, output 0.000015, cache read 3E-7,
    // cache creation 0.00000375; above 200k: 0.000006, 0.0000225, 6E-7, 0.0000075 (USD per token)
    // When
    ModelPrice price = price("anthropic", "claude-sonnet-4-20250514");

    // Then $3, $15, $0.30, $3.75 per million tokens, and $6, $22.50, $0.60, $7.50 above 200k input tokens
    assertThat(price.rates()).isEqualTo(new TokenRates(3_000_000_000L, 15_000_000_000L, 300_000_000L,
        3_750_000_000L, null));
    assertThat(price.tiers()).containsExactly(new PriceTier(200_000, new TokenRates(6_000_000_000L,
        22_500_000_000L, 600_000_000L, 7_500_000_000L, null)));
    assertThat(price.source()).isEqualTo("catalog");
    assertThat(price.catalogVersion()).isEqualTo(BUNDLED.version());
    assertThat(price.schemaVersion()).isEqualTo(ModelPrice.SCHEMA_VERSION);
  }

  @Test
  void shouldPriceGeminiProAboveTwoHundredThousandInputTokensAtTheTierRates() {
    // Given gemini/gemini-2.5-pro: input 0.00000125, output 0.00001, cache read 1.25E-7; above 200k:
    // 0.0000025, 0.000015, 2.5E-7
    // When
    ModelPrice price = price("gcp.gemini", "gemini-2.5-pro");

    // Then
    assertThat(price.rates()).isEqualTo(new TokenRates(1_250_000_000L, 10_000_000_000L, 125_000_000L, null, null));
    assertThat(price.tiers()).containsExactly(new PriceTier(200_000, new TokenRates(2_500_000_000L,
        15_000_000_000L, 250_000_000L, null, null)));
  }

  @Test
  void shouldLeaveTheReasoningRateOfAnOpenAiReasoningModelToTheOutputRate() {
    // Given o3: input 0.000002, output 0.000008, cache read 5E-7, no output_cost_per_reasoning_token
    // When
    ModelPrice o3 = price("openai", "o3");

    // Then reasoning is absent, which the contract defines as the output rate
    assertThat(o3.rates()).isEqualTo(new TokenRates(2_000_000_000L, 8_000_000_000L, 500_000_000L, null, null));
    assertThat(o3.tiers()).isEmpty();
  }

  @Test
  void shouldConvertEveryRateExactlyWhereDoubleArithmeticWouldNot() {
    // Given gemini/gemini-2.5-flash: cache read 3E-8, for which 3e-8 * 1e15 in double is 29999999.999999996,
    // and an explicit reasoning rate of 0.0000025
    // When
    ModelPrice flash = price("gcp.gemini", "gemini-2.5-flash");

    // Then
    assertThat(3e-8 * 1e15).isNotEqualTo(30_000_000.0);
    assertThat(flash.rates()).isEqualTo(new TokenRates(300_000_000L, 2_500_000_000L, 30_000_000L, null,
        2_500_000_000L));
  }

  @Test
  void shouldRefuseARateThatIsNotAWholeNumberOfNanoDollarsPerMillionTokensRatherThanRoundIt() {
    // Given one rate with 16 decimals, one negative, one in a string
    PriceCatalog catalog = convert("""
        {"fine": {"litellm_provider": "openai", "mode": "chat",
                  "input_cost_per_token": 0.0000011, "output_cost_per_token": 4.4e-6},
         "too-fine": {"litellm_provider": "openai", "mode": "chat",
                      "input_cost_per_token": 0.0000000000000001, "output_cost_per_token": 1e-6},
         "negative": {"litellm_provider": "openai", "mode": "chat",
                      "input_cost_per_token": -1e-6, "output_cost_per_token": 1e-6},
         "text": {"litellm_provider": "openai", "mode": "chat",
                  "input_cost_per_token": "1e-6", "output_cost_per_token": 1e-6}}
        """);

    // Then
    assertThat(catalog.prices()).containsOnlyKeys("openai/fine");
    assertThat(catalog.prices().get("openai/fine").rates())
        .isEqualTo(new TokenRates(1_100_000_000L, 4_400_000_000L, null, null, null));
    assertThat(catalog.skipped()).extracting(PriceCatalog.Skipped::entry, PriceCatalog.Skipped::reason)
        .containsExactly(
            tuple("negative", "input_cost_per_token: -0.000001 (expected: USD per "
                + "token, 0 or more, at most 15 decimals)"),
            tuple("text", "input_cost_per_token: \"1e-6\" (expected: a number)"),
            tuple("too-fine", "input_cost_per_token: 0.0000000000000001 (expected: "
                + "USD per token, 0 or more, at most 15 decimals)"));
  }

  @Test
  void shouldMapLiteLlmProvidersToTheProviderNamesOfUsageEvents() {
    // Given entries of every provider Tollway calls
    // When / Then the provider prefix is stripped and the name kept as the provider reports it
    assertThat(price("azure.ai.openai", "gpt-4o").rates().input()).isEqualTo(2_500_000_000L);
    assertThat(price("gcp.vertex_ai", "claude-sonnet-4@20250514").rates().cacheWrite()).isEqualTo(3_750_000_000L);
    assertThat(price("gcp.vertex_ai", "gemini-2.5-pro").tiers()).hasSize(1);
    assertThat(price("gcp.vertex_ai", "meta/llama-3.1-405b-instruct-maas")).isNotNull();
    assertThat(price("aws.bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0").rates().output())
        .isEqualTo(15_000_000_000L);
    assertThat(price("aws.bedrock", "us.anthropic.claude-sonnet-4-20250514-v1:0")).isNotNull();
    assertThat(price("openai", "gpt-3.5-turbo-instruct")).isNotNull();
    assertThat(BUNDLED.prices().values()).extracting(ModelPrice::provider).containsOnly(
        "openai", "anthropic", "gcp.gemini", "gcp.vertex_ai", "aws.bedrock", "azure.ai.openai");
    Set<String> providers = BUNDLED.prices().values().stream().map(ModelPrice::provider).collect(Collectors.toSet());
    assertThat(providers).hasSize(6);
    assertThat(BUNDLED.prices()).allSatisfy((key, price) -> assertThat(key).isEqualTo(price.key()));
  }

  @Test
  void shouldLeaveOutWhatDoesNotMapUnambiguously() {
    // Given: region and deployment qualified names, a speed mode, an image model, another provider, and two
    // entries that name the same Gemini model with different prices
    // Then
    assertThat(skipReason("azure/eu/gpt-4o-2024-08-06")).startsWith("qualified by \"eu/\"");
    assertThat(skipReason("bedrock/us-east-1/anthropic.claude-v2:1")).startsWith("qualified by \"us-east-1/\"");
    assertThat(skipReason("fast/claude-opus-4-6")).startsWith("qualified by \"fast/\"");
    assertThat(skipReason("dall-e-3")).isEqualTo("mode image_generation (expected: chat, completion or responses)");
    assertThat(skipReason("gemini-exp-1206")).isEqualTo("ambiguous: gemini-exp-1206, gemini/gemini-exp-1206 all "
        + "price gcp.gemini/gemini-exp-1206, differently");
    assertThat(BUNDLED.prices()).doesNotContainKeys("gcp.gemini/gemini-exp-1206", "anthropic/fast/claude-opus-4-6",
        "openai/dall-e-3");
    assertThat(BUNDLED.prices().keySet()).noneMatch(k -> k.startsWith("mistral/") || k.contains("azure/"));
    // and entries that agree collapse into one
    assertThat(price("gcp.vertex_ai", "gemini-3-flash-preview")).isNotNull();
    assertThat(price("azure.ai.openai", "computer-use-preview")).isNotNull();
  }

  @Test
  void shouldLetATierWithoutItsOwnCacheRatesKeepTheBaseOnes() {
    // Given a tier with input and output only
    PriceCatalog catalog = convert("""
        {"m": {"litellm_provider": "gemini", "mode": "chat",
               "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6,
               "cache_read_input_token_cost": 1e-7, "cache_creation_input_token_cost": 1.25e-6,
               "output_cost_per_reasoning_token": 3e-6,
               "input_cost_per_token_above_128k_tokens": 2e-6, "output_cost_per_token_above_128k_tokens": 4e-6,
               "input_cost_per_token_above_1000k_tokens": 3e-6, "output_cost_per_token_above_1000k_tokens": 5e-6,
               "cache_read_input_token_cost_above_1000k_tokens": 3e-7}}
        """);

    // Then tiers ascend, cache rates carry over, reasoning falls to the tier's output rate
    assertThat(catalog.prices().get("gcp.gemini/m").tiers()).containsExactly(
        new PriceTier(128_000, new TokenRates(2_000_000_000L, 4_000_000_000L, 100_000_000L, 1_250_000_000L, null)),
        new PriceTier(1_000_000, new TokenRates(3_000_000_000L, 5_000_000_000L, 300_000_000L, 1_250_000_000L,
            null)));
  }

  @Test
  void shouldGiveTheSameRecordsAndBytesForTheSameTable() {
    // Given the bundled table, converted twice, and the same entries in another order
    byte[] table = resource();
    PriceCatalog once = LiteLlmTable.convert(table);
    PriceCatalog twice = LiteLlmTable.convert(table);
    PriceCatalog reordered = convert("""
        {"gpt-4o": {"mode": "chat", "litellm_provider": "openai", "output_cost_per_token": 1e-5,
                    "input_cost_per_token": 2.5e-6},
         "azure/gpt-4o": {"litellm_provider": "azure", "mode": "chat", "input_cost_per_token": 2.5e-6,
                          "output_cost_per_token": 1e-5}}
        """);
    PriceCatalog ordered = convert("""
        {"azure/gpt-4o": {"litellm_provider": "azure", "mode": "chat", "input_cost_per_token": 2.5e-6,
                          "output_cost_per_token": 1e-5},
         "gpt-4o": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-6,
                    "output_cost_per_token": 1e-5}}
        """);

    // Then
    assertThat(once.version()).isEqualTo("litellm-3768e09fcb40").isEqualTo(BUNDLED.version());
    assertThat(bytes(once.prices())).isEqualTo(bytes(twice.prices()));
    assertThat(once.prices()).isEqualTo(BUNDLED.prices());
    assertThat(reordered.prices().values()).extracting(ModelPrice::rates)
        .isEqualTo(ordered.prices().values().stream().map(ModelPrice::rates).toList());
    assertThat(reordered.version()).isNotEqualTo(ordered.version());
  }

  @Test
  void shouldRefuseSomethingThatIsNotATable() {
    assertThatThrownBy(() -> convert("[1, 2]")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a LiteLLM price table (expected: a JSON object of models)");
    assertThatThrownBy(() -> convert("{\"a\": ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a LiteLLM price table: ");
  }

  private static byte[] resource() {
    try (var in = LiteLlmTableTest.class.getClassLoader().getResourceAsStream(LiteLlmTable.RESOURCE)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every record's JSON, as it goes on the topic, in key order. */
  private static byte[] bytes(Map<String, ModelPrice> prices) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    prices.values().forEach(p -> all.writeBytes(Json.toBytes(p)));
    return all.toByteArray();
  }
}

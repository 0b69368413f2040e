package dev.tollway.schemas.price;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The price of one model at one provider: published by config-service on the compacted
 * {@code tollway.prices.v1}, keyed by {@link #key()}. Built from the bundled price catalog, with operators'
 * {@code ModelPrice} resources layered on top.
 *
 * <p>Rates are integers in nano-dollars per million tokens ({@code 3000000000} is $3.00 per million tokens),
 * so cost sums are exact.
 *
 * @param schemaVersion version of this payload's schema
 * @param provider the provider as usage events name it ({@code gen_ai.provider.name}: {@code openai},
 *     {@code anthropic}, {@code gcp.gemini}, {@code gcp.vertex_ai}, {@code aws.bedrock}, {@code azure.ai.openai})
 * @param model the model as providers report it in answers
 * @param rates the rates up to the first tier
 * @param tiers long-context tiers: when a request's input tokens exceed {@code aboveInputTokens}, ALL its tokens
 *     are priced at the tier's rates (ordered by threshold, ascending)
 * @param catalogVersion the version of the catalog this price belongs to
 * @param source {@code catalog} for the bundled table, {@code override:<namespace>/<name>} for an operator's
 */
public record ModelPrice(
    int schemaVersion,
    String provider,
    String model,
    TokenRates rates,
    List<PriceTier> tiers,
    String catalogVersion,
    String source) {

  public static final int SCHEMA_VERSION = 1;

  public ModelPrice {
    requireNonNull(provider, "provider");
    requireNonNull(model, "model");
    requireNonNull(rates, "rates");
    tiers = List.copyOf(tiers);
    requireNonNull(catalogVersion, "catalogVersion");
    requireNonNull(source, "source");
  }

  /** The topic key: {@code "<provider>/<model>"}. */
  public String key() {
    return key(provider, model);
  }

  public static String key(String provider, String model) {
    return provider + "/" + model;
  }

  /**
   * A long-context tier.
   *
   * @param aboveInputTokens the tier applies to requests with more input tokens than this
   * @param rates the tier's rates
   */
  public record PriceTier(long aboveInputTokens, TokenRates rates) {
    public PriceTier {
      requireNonNull(rates, "rates");
    }
  }
}

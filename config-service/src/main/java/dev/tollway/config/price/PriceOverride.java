package dev.tollway.config.price;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.model.ClusterState;
import dev.tollway.config.model.InvalidSpecException;
import dev.tollway.config.model.Resources;
import dev.tollway.config.model.SpecReader;
import dev.tollway.config.status.ObjectRef;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.price.ModelPrice.PriceTier;
import dev.tollway.schemas.price.TokenRates;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An operator's price for one model, read from a {@code ModelPrice} resource ({@code tollway.dev/v1alpha1}):
 *
 * <pre>
 * spec:
 *   provider: anthropic                  # gen_ai.provider.name, as in usage events
 *   model: claude-sonnet-4-20250514      # as the provider reports it in answers
 *   input: "2.70"                        # USD per million tokens, string or number; input and output required
 *   output: "13.50"
 *   cacheRead: "0.27"                    # optional: cache reads, cache writes, reasoning
 *   cacheWrite: "3.375"
 *   reasoning: "13.50"
 *   tiers:                               # optional long-context tiers
 *   - aboveInputTokens: 200000
 *     input: "5.40"
 *     output: "20.25"
 * </pre>
 *
 * <p>A tier without its own cache rates keeps the base ones; a missing reasoning rate means the output rate.
 *
 * @param resource the resource
 * @param provider the provider
 * @param model the model
 * @param rates the base rates, in nano-dollars per million tokens
 * @param tiers the tiers, ascending by threshold
 */
public record PriceOverride(ObjectRef resource, String provider, String model, TokenRates rates,
    List<PriceTier> tiers) {

  private static final Set<String> RATE_FIELDS = Set.of("input", "output", "cacheRead", "cacheWrite", "reasoning");
  private static final Set<String> SPEC_FIELDS = union(RATE_FIELDS, Set.of("provider", "model", "tiers"));
  private static final Set<String> TIER_FIELDS = union(RATE_FIELDS, Set.of("aboveInputTokens"));

  public PriceOverride {
    requireNonNull(resource, "resource");
    requireNonNull(provider, "provider");
    requireNonNull(model, "model");
    requireNonNull(rates, "rates");
    tiers = List.copyOf(tiers);
  }

  /** The reference of a {@code ModelPrice} resource. */
  public static ObjectRef ref(GenericKubernetesResource resource) {
    return new ObjectRef(Resources.TOLLWAY_GROUP, ClusterState.MODEL_PRICE, Resources.namespace(resource),
        Resources.name(resource));
  }

  /**
   * Reads a {@code ModelPrice} resource.
   *
   * @throws InvalidSpecException naming the field, such as
   *     {@code spec.cacheRead: "-1" (expected: USD per million tokens, 0 or more, at most 9 decimals)}
   */
  public static PriceOverride read(GenericKubernetesResource resource) {
    requireNonNull(resource, "resource");
    SpecReader spec = SpecReader.spec(resource);
    spec.requireKnown(SPEC_FIELDS);
    String provider = spec.requireString("provider");
    if (!ProviderNames.ALL.contains(provider)) {
      String hint = ProviderNames.fromLiteLlm(provider).map(p -> "; LiteLLM's " + provider + " is " + p).orElse("");
      throw InvalidSpecException.invalid(spec.path("provider"), "\"" + provider + "\" (expected: one of "
          + String.join(", ", ProviderNames.ALL) + ", as usage events name providers" + hint + ")");
    }
    String model = spec.requireString("model");
    if (!model.equals(model.strip()) || model.chars().anyMatch(Character::isWhitespace)) {
      throw InvalidSpecException.invalid(spec.path("model"), "\"" + model + "\" (expected: a model name without "
          + "spaces, as the provider reports it in answers)");
    }
    TokenRates base = rates(spec, null);
    List<PriceTier> tiers = new ArrayList<>();
    Set<Integer> thresholds = new HashSet<>();
    for (SpecReader tier : spec.objects("tiers")) {
      tier.requireKnown(TIER_FIELDS);
      int above = tier.integer("aboveInputTokens", 1, Integer.MAX_VALUE)
          .orElseThrow(() -> InvalidSpecException.invalid(tier.path("aboveInputTokens"), "missing"));
      if (!thresholds.add(above)) {
        throw InvalidSpecException.invalid(tier.path("aboveInputTokens"), above + " (expected: a threshold no "
            + "other tier has)");
      }
      tiers.add(new PriceTier(above, rates(tier, base)));
    }
    tiers.sort(Comparator.comparingLong(PriceTier::aboveInputTokens));
    return new PriceOverride(ref(resource), provider, model, base, tiers);
  }

  /** The topic key: {@code <provider>/<model>}. */
  public String key() {
    return ModelPrice.key(provider, model);
  }

  private static TokenRates rates(SpecReader reader, @Nullable TokenRates base) {
    long input = rate(reader, "input").orElseThrow(() -> InvalidSpecException.invalid(reader.path("input"),
        "missing (expected: USD per million input tokens)"));
    long output = rate(reader, "output").orElseThrow(() -> InvalidSpecException.invalid(reader.path("output"),
        "missing (expected: USD per million output tokens)"));
    Long cacheRead = rate(reader, "cacheRead").orElse(base == null ? null : base.cacheRead());
    Long cacheWrite = rate(reader, "cacheWrite").orElse(base == null ? null : base.cacheWrite());
    Long reasoning = rate(reader, "reasoning").orElse(null);
    return new TokenRates(input, output, cacheRead, cacheWrite, reasoning);
  }

  private static Optional<Long> rate(SpecReader reader, String field) {
    Optional<BigDecimal> usd = reader.decimal(field, "USD per million tokens such as \"2.50\"");
    if (usd.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(NanoUsd.perMillionTokensFromUsdPerMillion(usd.get()));
    } catch (IllegalArgumentException e) {
      throw InvalidSpecException.invalid(reader.path(field), e.getMessage());
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}

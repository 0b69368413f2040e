package dev.tollway.usage.cost;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds the price of the model that answered an event, trying these keys in order and taking the first one
 * the catalog holds:
 *
 * <ol>
 *   <li>{@code <provider>/<model>} exactly, for the model the provider says answered, then for the model that
 *       was sent to it;
 *   <li>each of those without a {@code models/} prefix ({@code models/gemini-2.5-flash} → {@code
 *       gemini-2.5-flash});
 *   <li>for {@code aws.bedrock}, without a cross-region inference prefix ({@code us.anthropic.claude-…} →
 *       {@code anthropic.claude-…});
 *   <li>without a date suffix: {@code -20250514}, {@code -2024-08-06} or {@code @20241022} ({@code
 *       claude-sonnet-4-20250514} → {@code claude-sonnet-4}, {@code gpt-4o-2024-08-06} → {@code gpt-4o}).
 * </ol>
 *
 * <p>The provider is never changed: the same model at another provider may cost something else. When no key
 * matches, the event is unpriced — counted and flagged, never free.
 */
public final class PriceLookup {

  private static final String MODELS_PREFIX = "models/";
  private static final Pattern BEDROCK_REGION = Pattern.compile("^(?:us|eu|apac|jp|au|ca|us-gov|global)\\.(.+\\..+)$");
  private static final Pattern DATE_SUFFIX = Pattern.compile("^(.+?)(?:-\\d{8}|-\\d{4}-\\d{2}-\\d{2}|@\\d{8})$");

  private PriceLookup() {}

  /** The keys to try for an event, most specific first; empty when the event names no provider or model. */
  public static List<String> candidates(UsageEvent event) {
    requireNonNull(event, "event");
    return candidates(event.provider(), event.responseModel(), event.providerModel());
  }

  /** The keys to try for a provider and the models the event names, most specific first. */
  public static List<String> candidates(
      @Nullable String provider, @Nullable String responseModel, @Nullable String providerModel) {
    if (provider == null || provider.isEmpty()) {
      return List.of();
    }
    List<String> models = new ArrayList<>();
    if (responseModel != null && !responseModel.isEmpty()) {
      models.add(responseModel);
    }
    if (providerModel != null && !providerModel.isEmpty()) {
      models.add(providerModel);
    }
    Set<String> names = new LinkedHashSet<>(models);
    addEach(names, PriceLookup::withoutModelsPrefix);
    if ("aws.bedrock".equals(provider)) {
      addEach(names, PriceLookup::withoutBedrockRegion);
    }
    addEach(names, PriceLookup::withoutDateSuffix);
    return names.stream().map(model -> ModelPrice.key(provider, model)).toList();
  }

  /** The price for an event from {@code catalog} (price key → price, or null), if any key matches. */
  public static Optional<ModelPrice> find(UsageEvent event, Function<String, @Nullable ModelPrice> catalog) {
    requireNonNull(catalog, "catalog");
    for (String key : candidates(event)) {
      ModelPrice price = catalog.apply(key);
      if (price != null) {
        return Optional.of(price);
      }
    }
    return Optional.empty();
  }

  /** The cost of an event, priced from {@code catalog}; {@link Cost#unpriced()} when no price matches. */
  public static Cost cost(UsageEvent event, Function<String, @Nullable ModelPrice> catalog) {
    requireNonNull(event, "event");
    return cost(candidates(event), event.tokens(), catalog);
  }

  /**
   * The cost of {@code tokens} at the first price {@code catalog} holds among {@code candidates} (the event's
   * {@link #candidates(UsageEvent)}, which a caller may keep per model); {@link Cost#unpriced()} when none.
   */
  public static Cost cost(List<String> candidates, TokenUsage tokens, Function<String, @Nullable ModelPrice> catalog) {
    requireNonNull(candidates, "candidates");
    requireNonNull(tokens, "tokens");
    requireNonNull(catalog, "catalog");
    for (String key : candidates) {
      ModelPrice price = catalog.apply(key);
      if (price != null) {
        return CostCalculator.cost(tokens, price);
      }
    }
    return Cost.unpriced();
  }

  private static void addEach(Set<String> names, Function<String, @Nullable String> transform) {
    for (String name : List.copyOf(names)) {
      String changed = transform.apply(name);
      if (changed != null && !changed.isEmpty()) {
        names.add(changed);
      }
    }
  }

  private static @Nullable String withoutModelsPrefix(String model) {
    return model.startsWith(MODELS_PREFIX) ? model.substring(MODELS_PREFIX.length()) : null;
  }

  private static @Nullable String withoutBedrockRegion(String model) {
    Matcher matcher = BEDROCK_REGION.matcher(model);
    return matcher.matches() ? matcher.group(1) : null;
  }

  private static @Nullable String withoutDateSuffix(String model) {
    Matcher matcher = DATE_SUFFIX.matcher(model);
    return matcher.matches() ? matcher.group(1) : null;
  }
}

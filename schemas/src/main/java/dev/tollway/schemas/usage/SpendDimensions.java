package dev.tollway.schemas.usage;

import static java.util.Objects.requireNonNull;

/**
 * What spend is grouped by. Absent values are the empty string, so every field is always present.
 *
 * @param apiKeyId the client API key's id
 * @param apiKeyName the key's name
 * @param team the key's team
 * @param model the model that answered
 * @param provider {@code gen_ai.provider.name}
 * @param route the route rule ({@code "<namespace>/<httproute>#<rule>"})
 * @param gateway {@code "<namespace>/<name>"}
 */
public record SpendDimensions(
    String apiKeyId, String apiKeyName, String team, String model, String provider, String route, String gateway) {

  public SpendDimensions {
    requireNonNull(apiKeyId, "apiKeyId");
    requireNonNull(apiKeyName, "apiKeyName");
    requireNonNull(team, "team");
    requireNonNull(model, "model");
    requireNonNull(provider, "provider");
    requireNonNull(route, "route");
    requireNonNull(gateway, "gateway");
  }

  public static SpendDimensions of(UsageEvent event) {
    return new SpendDimensions(
        orEmpty(event.caller().apiKeyId()),
        orEmpty(event.caller().apiKeyName()),
        orEmpty(event.caller().team()),
        orEmpty(event.effectiveModel()),
        orEmpty(event.provider()),
        orEmpty(event.route()),
        event.gateway());
  }

  /** A stable string form, {@code apiKeyId|team|model|provider|route|gateway}. */
  public String key() {
    return String.join("|", apiKeyId, team, model, provider, route, gateway);
  }

  private static String orEmpty(@org.jspecify.annotations.Nullable String value) {
    return value == null ? "" : value;
  }
}

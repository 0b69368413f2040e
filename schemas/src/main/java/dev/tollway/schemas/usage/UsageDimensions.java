package dev.tollway.schemas.usage;

import static java.util.Objects.requireNonNull;

/**
 * What usage is grouped by. Absent values are the empty string, so every field is always present.
 *
 * @param gateway {@code "<namespace>/<name>"}
 * @param route the route rule
 * @param backend the backend
 * @param provider {@code gen_ai.provider.name}
 * @param model the model that answered (see {@link UsageEvent#effectiveModel()})
 */
public record UsageDimensions(String gateway, String route, String backend, String provider, String model) {

  public UsageDimensions {
    requireNonNull(gateway, "gateway");
    requireNonNull(route, "route");
    requireNonNull(backend, "backend");
    requireNonNull(provider, "provider");
    requireNonNull(model, "model");
  }

  public static UsageDimensions of(UsageEvent event) {
    return new UsageDimensions(
        event.gateway(),
        orEmpty(event.route()),
        orEmpty(event.backend()),
        orEmpty(event.provider()),
        orEmpty(event.effectiveModel()));
  }

  /** A stable string form, {@code gateway|route|backend|provider|model}. */
  public String key() {
    return String.join("|", gateway, route, backend, provider, model);
  }

  private static String orEmpty(@org.jspecify.annotations.Nullable String value) {
    return value == null ? "" : value;
  }
}

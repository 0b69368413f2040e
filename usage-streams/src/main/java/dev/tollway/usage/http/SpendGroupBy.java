package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.SpendDimensions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What {@code /v1/spend} rows are grouped by. */
public enum SpendGroupBy {
  /** The API key: rows carry its id and its (latest) name. */
  KEY(SpendDimensions::apiKeyId, List.of("apiKeyId", "apiKeyName")),
  TEAM(SpendDimensions::team, List.of("team")),
  MODEL(SpendDimensions::model, List.of("model")),
  PROVIDER(SpendDimensions::provider, List.of("provider")),
  ROUTE(SpendDimensions::route, List.of("route"));

  private final Function<SpendDimensions, String> dimension;
  private final List<String> fields;

  SpendGroupBy(Function<SpendDimensions, String> dimension, List<String> fields) {
    this.dimension = dimension;
    this.fields = fields;
  }

  /** The parameter value: {@code key}, {@code team}, ... */
  public String parameter() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The names of the group fields of a row (and CSV columns): {@code apiKeyId, apiKeyName} for a key. */
  public List<String> fields() {
    return fields;
  }

  /** The group a spend group falls in. */
  public String groupOf(SpendDimensions dimensions) {
    return dimension.apply(requireNonNull(dimensions, "dimensions"));
  }

  public static Optional<SpendGroupBy> fromParameter(String value) {
    return Arrays.stream(values()).filter(g -> g.parameter().equals(value)).findFirst();
  }

  /** The accepted values, for error messages: {@code key, team, model, provider, route}. */
  public static String accepted() {
    return Arrays.stream(values()).map(SpendGroupBy::parameter).collect(Collectors.joining(", "));
  }
}

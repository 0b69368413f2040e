package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.UsageDimensions;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What {@code /v1/usage} rows are grouped by: one of the dimensions of the minute store. */
public enum GroupBy {
  MODEL(UsageDimensions::model),
  ROUTE(UsageDimensions::route),
  PROVIDER(UsageDimensions::provider),
  BACKEND(UsageDimensions::backend),
  GATEWAY(UsageDimensions::gateway);

  private final Function<UsageDimensions, String> dimension;

  GroupBy(Function<UsageDimensions, String> dimension) {
    this.dimension = dimension;
  }

  /** The parameter value, and the name of the group field in each row: {@code model}, {@code route}, ... */
  public String parameter() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The group this combination of dimensions falls in. */
  public String groupOf(UsageDimensions dimensions) {
    return dimension.apply(requireNonNull(dimensions, "dimensions"));
  }

  /** The grouping for a parameter value, if there is one. */
  public static Optional<GroupBy> fromParameter(String value) {
    return Arrays.stream(values()).filter(g -> g.parameter().equals(value)).findFirst();
  }

  /** The accepted parameter values, for error messages: {@code model, route, provider, backend, gateway}. */
  public static String accepted() {
    return Arrays.stream(values()).map(GroupBy::parameter).collect(Collectors.joining(", "));
  }
}

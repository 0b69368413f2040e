package dev.tollway.schemas.budget;

import static java.util.Objects.requireNonNull;

/**
 * A spending or token limit: published by config-service on the compacted {@code tollway.budgets.v1}, keyed by
 * {@link #name()}, from the operator's {@code Budget} resources. A tombstone removes the budget.
 *
 * @param schemaVersion version of this payload's schema
 * @param name {@code "<namespace>/<name>"} of the Budget resource
 * @param subjectType who the budget applies to
 * @param subject the API key id, team name or route; {@code *} applies the budget to each subject of the type
 *     separately
 * @param window the period the limit applies to
 * @param timeZone the time zone of calendar windows ({@code day}, {@code month}), such as {@code UTC} or
 *     {@code Europe/Paris}
 * @param limit the limit, in {@link #unit()}
 * @param unit what is limited
 */
public record Budget(
    int schemaVersion,
    String name,
    SubjectType subjectType,
    String subject,
    Window window,
    String timeZone,
    long limit,
    Unit unit) {

  public static final int SCHEMA_VERSION = 1;

  /** A subject value that means "each subject of this type, separately". */
  public static final String EACH = "*";

  public Budget {
    requireNonNull(name, "name");
    requireNonNull(subjectType, "subjectType");
    requireNonNull(subject, "subject");
    requireNonNull(window, "window");
    requireNonNull(timeZone, "timeZone");
    requireNonNull(unit, "unit");
  }

  /** Who a budget applies to. */
  public enum SubjectType {
    /** A client API key, by its id. */
    apiKey,
    /** The keys whose metadata names this team. */
    team,
    /** Every caller of a route ({@code <namespace>/<httproute>}). */
    route
  }

  /** Budget windows: calendar ({@code day}, {@code month}, in the time zone) or rolling. */
  public enum Window {
    minute,
    hour,
    day,
    month
  }

  /** Budget units. */
  public enum Unit {
    /** US dollars times 10^9. */
    nanoUsd,
    /** Input plus output tokens. */
    tokens
  }
}

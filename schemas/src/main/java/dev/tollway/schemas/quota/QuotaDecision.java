package dev.tollway.schemas.quota;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A subject is over one of its budgets: published by usage-streams on the compacted {@code tollway.quota.v1},
 * keyed by {@link #key()} (one record per subject and budget). A tombstone for the key lifts that block; a
 * subject stays blocked while any of its budgets blocks it.
 *
 * @param schemaVersion version of this payload's schema
 * @param subjectType what the subject is
 * @param subject the API key id, team name or route
 * @param budget {@code "<namespace>/<name>"} of the budget that was exceeded
 * @param window the budget's window
 * @param windowStart start of the current window
 * @param windowEnd end of the current window
 * @param used what the subject used in the window, in {@link #unit()}
 * @param limit the budget's limit, in {@link #unit()}
 * @param unit the unit of {@link #used()} and {@link #limit()}
 * @param blockedUntil when the block lifts by itself (the end of the window)
 * @param decidedAt when the decision was taken
 */
public record QuotaDecision(
    int schemaVersion,
    SubjectType subjectType,
    String subject,
    String budget,
    Window window,
    Instant windowStart,
    Instant windowEnd,
    long used,
    long limit,
    Unit unit,
    Instant blockedUntil,
    Instant decidedAt) {

  public static final int SCHEMA_VERSION = 1;

  public QuotaDecision {
    requireNonNull(subjectType, "subjectType");
    requireNonNull(subject, "subject");
    requireNonNull(budget, "budget");
    requireNonNull(window, "window");
    requireNonNull(windowStart, "windowStart");
    requireNonNull(windowEnd, "windowEnd");
    requireNonNull(unit, "unit");
    requireNonNull(blockedUntil, "blockedUntil");
    requireNonNull(decidedAt, "decidedAt");
  }

  /** The topic key: {@code "<subjectType>:<subject>|<budget>"}. */
  public String key() {
    return key(subjectType, subject, budget);
  }

  public static String key(SubjectType type, String subject, String budget) {
    return subjectKey(type, subject) + "|" + budget;
  }

  /** The subject part of the key, {@code "<subjectType>:<subject>"}. */
  public String subjectKey() {
    return subjectKey(subjectType, subject);
  }

  public static String subjectKey(SubjectType type, String subject) {
    return type + ":" + subject;
  }

  /** Who a budget applies to (as {@code Budget.SubjectType}). */
  public enum SubjectType {
    apiKey,
    team,
    route
  }

  /** Budget windows (as {@code Budget.Window}). */
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
    tokens
  }
}

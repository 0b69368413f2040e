package dev.tollway.config.status;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One Gateway API-style condition. The transition time is left to whoever writes the status: the compiler
 * is a pure function and does not read the clock.
 *
 * @param type the condition type, such as {@code Accepted} or {@code ResolvedRefs}
 * @param status whether the condition holds
 * @param reason a CamelCase reason code, such as {@code BackendNotFound}
 * @param message a human-readable explanation naming the offending field or reference
 * @param observedGeneration the {@code metadata.generation} of the resource the condition was computed from;
 *     absent when the source does not track generations (folder mode)
 */
public record Condition(
    String type, ConditionStatus status, String reason, String message, @Nullable Long observedGeneration) {

  /** Condition types whose {@code True} status reports a problem; for every other type {@code False} does. */
  private static final Set<String> NEGATIVE_POLARITY = Set.of(Types.CONFLICTED, Types.PARTIALLY_INVALID);

  public Condition {
    requireNonNull(type, "type");
    requireNonNull(status, "status");
    requireNonNull(reason, "reason");
    requireNonNull(message, "message");
  }

  public static Condition holds(String type, String reason, String message, @Nullable Long generation) {
    return new Condition(type, ConditionStatus.True, reason, message, generation);
  }

  public static Condition fails(String type, String reason, String message, @Nullable Long generation) {
    return new Condition(type, ConditionStatus.False, reason, message, generation);
  }

  /** Whether this condition reports something wrong with the resource. */
  public boolean isProblem() {
    boolean negative = NEGATIVE_POLARITY.contains(type);
    return negative ? status == ConditionStatus.True : status != ConditionStatus.True;
  }

  /** For logs: {@code ResolvedRefs=False BackendNotFound: <message>}. */
  @Override
  public String toString() {
    return type + "=" + status + " " + reason + ": " + message;
  }

  /** The condition types the compiler reports. */
  public static final class Types {
    public static final String ACCEPTED = "Accepted";
    public static final String PROGRAMMED = "Programmed";
    public static final String RESOLVED_REFS = "ResolvedRefs";
    public static final String CONFLICTED = "Conflicted";
    public static final String PARTIALLY_INVALID = "PartiallyInvalid";

    private Types() {}
  }
}

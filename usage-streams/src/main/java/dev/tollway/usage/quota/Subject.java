package dev.tollway.usage.quota;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.usage.UsageEvent;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Someone a budget can apply to.
 *
 * @param type an API key, a team or a route
 * @param id the API key's id, the team's name, or the route as {@code <namespace>/<httproute>}
 */
public record Subject(Budget.SubjectType type, String id) {

  public Subject {
    requireNonNull(type, "type");
    requireNonNull(id, "id");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("id: empty (expected the key id, team or route)");
    }
  }

  /** The subjects an event charges: its API key, its key's team and its route, those that it has. */
  public static List<Subject> of(UsageEvent event) {
    requireNonNull(event, "event");
    List<Subject> subjects = new ArrayList<>(3);
    add(subjects, Budget.SubjectType.apiKey, event.caller().apiKeyId());
    add(subjects, Budget.SubjectType.team, event.caller().team());
    add(subjects, Budget.SubjectType.route, routeOf(event.route()));
    return subjects;
  }

  /** {@code "<namespace>/<httproute>"} of a route rule {@code "<namespace>/<httproute>#<rule>"}. */
  public static @Nullable String routeOf(@Nullable String routeRule) {
    if (routeRule == null) {
      return null;
    }
    int hash = routeRule.indexOf('#');
    return hash < 0 ? routeRule : routeRule.substring(0, hash);
  }

  /** The subject part of a quota decision's key, {@code "<type>:<id>"}. */
  public String key() {
    return QuotaDecision.subjectKey(decisionType(), id);
  }

  /** The type as quota decisions name it. */
  public QuotaDecision.SubjectType decisionType() {
    return QuotaDecision.SubjectType.valueOf(type.name());
  }

  private static void add(List<Subject> subjects, Budget.SubjectType type, @Nullable String id) {
    if (id != null && !id.isEmpty()) {
      subjects.add(new Subject(type, id));
    }
  }
}

package dev.tollway.config.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollway.config.Manifests;
import dev.tollway.config.model.InvalidSpecException;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ConditionStatus;
import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.budget.Budget.SubjectType;
import dev.tollway.schemas.budget.Budget.Unit;
import dev.tollway.schemas.budget.Budget.Window;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Budget resources into Budget records. */
class BudgetCompilerTest {

  private static GenericKubernetesResource resource(String spec) {
    return (GenericKubernetesResource) Manifests.yaml("""
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: b, namespace: payments}
        spec:
        """ + spec.indent(2)).get(0);
  }

  private static Budget read(String spec) {
    return BudgetCompiler.read(resource(spec));
  }

  private static String problem(String spec) {
    try {
      BudgetCompiler.read(resource(spec));
    } catch (InvalidSpecException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + spec);
  }

  @Test
  void shouldReadADailyDollarBudgetForATeamInItsTimeZone() {
    // When
    Budget budget = read("""
        subject: {team: payments}
        window: Day
        timeZone: Europe/Paris
        limit: {usd: "50.00"}
        """);

    // Then
    assertThat(budget).isEqualTo(new Budget(Budget.SCHEMA_VERSION, "payments/b", SubjectType.team, "payments",
        Window.day, "Europe/Paris", 50_000_000_000L, Unit.nanoUsd));
  }

  @Test
  void shouldReadEveryKindOfSubjectWindowAndLimit() {
    // Then: key ids and routes without a namespace are in the Budget's namespace
    assertThat(read("{subject: {apiKey: team-keys/alice}, window: Month, limit: {usd: 0.1}}"))
        .isEqualTo(new Budget(1, "payments/b", SubjectType.apiKey, "payments/team-keys/alice", Window.month, "UTC",
            100_000_000L, Unit.nanoUsd));
    assertThat(read("{subject: {apiKey: ops/team-keys/bob}, window: Hour, limit: {tokens: 5000000000}}"))
        .isEqualTo(new Budget(1, "payments/b", SubjectType.apiKey, "ops/team-keys/bob", Window.hour, "UTC",
            5_000_000_000L, Unit.tokens));
    assertThat(read("{subject: {route: llm-route}, window: Minute, limit: {tokens: \"100000\"}}"))
        .extracting(Budget::subject, Budget::window).containsExactly("payments/llm-route", Window.minute);
    assertThat(read("{subject: {route: \"*\"}, window: Day, limit: {usd: 1}}").subject()).isEqualTo("*");
    assertThat(read("{subject: {apiKey: \"*\"}, window: Day, limit: {usd: 12.345678901}}"))
        .extracting(Budget::subject, Budget::limit).containsExactly("*", 12_345_678_901L);
    assertThat(read("{subject: {team: \"*\"}, window: Month, timeZone: America/New_York, limit: {usd: 0}}"))
        .extracting(Budget::timeZone, Budget::limit).containsExactly("America/New_York", 0L);
  }

  @Test
  void shouldNameTheFieldOfEveryMistake() {
    assertThat(problem("{window: Day, limit: {usd: 1}}")).isEqualTo("spec.subject: missing");
    assertThat(problem("{subject: {team: a, route: b}, window: Day, limit: {usd: 1}}"))
        .isEqualTo("spec.subject: expected exactly one of apiKey, team, route (found: team, route)");
    assertThat(problem("{subject: {teams: a}, window: Day, limit: {usd: 1}}"))
        .isEqualTo("spec.subject.teams: unknown field (expected: apiKey, route, team)");
    assertThat(problem("{subject: {apiKey: alice}, window: Day, limit: {usd: 1}}")).isEqualTo("spec.subject.apiKey: "
        + "\"alice\" (expected: <secret>/<entry> or <namespace>/<secret>/<entry>, the key's id, or * for each key)");
    assertThat(problem("{subject: {route: a/b/c}, window: Day, limit: {usd: 1}}")).isEqualTo("spec.subject.route: "
        + "\"a/b/c\" (expected: an HTTPRoute name, <namespace>/<name>, or * for each route)");
    assertThat(problem("{subject: {team: a}, window: Week, limit: {usd: 1}}"))
        .isEqualTo("spec.window: \"Week\" (expected: Day, Month, Minute or Hour)");
    assertThat(problem("{subject: {team: a}, limit: {usd: 1}}"))
        .isEqualTo("spec.window: missing (expected: Day, Month, Minute or Hour)");
    assertThat(problem("{subject: {team: a}, window: Day, timeZone: Mars/Olympus, limit: {usd: 1}}"))
        .isEqualTo("spec.timeZone: \"Mars/Olympus\" (expected: an IANA time zone such as Europe/Paris, or UTC)");
    assertThat(problem("{subject: {team: a}, window: Hour, timeZone: UTC, limit: {usd: 1}}")).isEqualTo(
        "spec.timeZone: set for a rolling Hour window (expected: only with Day or Month, whose calendar it sets)");
    assertThat(problem("{subject: {team: a}, window: Day, limit: {usd: 1, tokens: 5}}"))
        .isEqualTo("spec.limit: expected exactly one of usd, tokens (found: usd, tokens)");
    assertThat(problem("{subject: {team: a}, window: Day, limit: {usd: \"-5\"}}"))
        .isEqualTo("spec.limit.usd: -5 (expected: USD, 0 or more, at most 9 decimals)");
    assertThat(problem("{subject: {team: a}, window: Day, limit: {usd: \"0.0000000001\"}}"))
        .isEqualTo("spec.limit.usd: 0.0000000001 (expected: USD, 0 or more, at most 9 decimals)");
    assertThat(problem("{subject: {team: a}, window: Day, limit: {tokens: 1.5}}"))
        .isEqualTo("spec.limit.tokens: 1.5 (expected: a whole number of tokens, 0 or more)");
    assertThat(problem("{subject: {team: a}, window: Day, limit: {usd: 1}, owner: me}"))
        .isEqualTo("spec.owner: unknown field (expected: limit, subject, timeZone, window)");
  }

  @Test
  void shouldGiveEachResourceAConditionAndKeepTheValidOnesWhenOneIsBad() {
    // Given a valid budget and an invalid one
    List<GenericKubernetesResource> resources = Manifests.yaml("""
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: payments-daily}
        spec: {subject: {team: payments}, window: Day, timeZone: Europe/Paris, limit: {usd: "50"}}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: broken, generation: 3}
        spec: {subject: {team: payments}, window: Fortnight, limit: {usd: "50"}}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: no-spec}
        """).stream().map(GenericKubernetesResource.class::cast).toList();

    // When
    BudgetResult result = BudgetCompiler.compile(resources);

    // Then
    assertThat(result.budgets()).containsOnlyKeys("default/payments-daily");
    assertThat(result.statuses()).extracting(s -> s.resource().key(), s -> s.conditions().get(0))
        .containsExactly(
            tuple("default/broken", new Condition("Accepted", ConditionStatus.False,
                "Invalid", "spec.window: \"Fortnight\" (expected: Day, Month, Minute or Hour)", 3L)),
            tuple("default/no-spec", new Condition("Accepted", ConditionStatus.False,
                "Invalid", "spec: missing", null)),
            tuple("default/payments-daily", new Condition("Accepted",
                ConditionStatus.True, "Accepted", "limits team payments to 50 USD per calendar day in Europe/Paris",
                null)));
    assertThat(result.problems()).hasSize(2);
  }

  @Test
  void shouldDescribeWhatABudgetLimits() {
    assertThat(BudgetCompiler.describe(read("{subject: {apiKey: \"*\"}, window: Hour, limit: {tokens: 1000}}")))
        .isEqualTo("limits each API key to 1000 tokens per rolling hour");
    assertThat(BudgetCompiler.describe(read("{subject: {route: r}, window: Month, limit: {usd: \"12.50\"}}")))
        .isEqualTo("limits everyone on route payments/r to 12.5 USD per calendar month in UTC");
  }

  @Test
  void shouldKeepThePreviouslyAcceptedBudgetInForceWhenItsResourceTurnsInvalid() {
    // Given a budget accepted before, now edited into an invalid one, and an invalid budget never accepted
    Budget accepted = new Budget(1, "default/payments-daily", SubjectType.team, "payments", Window.day, "UTC",
        50_000_000_000L, Unit.nanoUsd);
    List<GenericKubernetesResource> resources = Manifests.yaml("""
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: payments-daily}
        spec: {subject: {team: payments}, window: Day, limit: {usd: "fifty"}}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: new-and-broken}
        spec: {subject: {team: payments}, window: Day, limit: {usd: "fifty"}}
        """).stream().map(GenericKubernetesResource.class::cast).toList();

    // When
    BudgetResult result = BudgetCompiler.compile(resources, new TreeMap<>(Map.of(accepted.name(), accepted)));

    // Then the limit is not lifted by the typo, and the condition says so
    assertThat(result.budgets()).containsExactly(Map.entry("default/payments-daily", accepted));
    assertThat(result.statuses()).extracting(s -> s.conditions().get(0).message()).containsExactly(
        "spec.limit.usd: \"fifty\" (expected: US dollars such as \"50.00\")",
        "spec.limit.usd: \"fifty\" (expected: US dollars such as \"50.00\"); "
            + "the last accepted version stays in force");
  }
}

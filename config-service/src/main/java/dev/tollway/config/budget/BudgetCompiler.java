package dev.tollway.config.budget;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.model.ClusterState;
import dev.tollway.config.model.InvalidSpecException;
import dev.tollway.config.model.Resources;
import dev.tollway.config.model.SpecReader;
import dev.tollway.config.price.NanoUsd;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.Condition.Types;
import dev.tollway.config.status.ObjectRef;
import dev.tollway.config.status.Reasons;
import dev.tollway.config.status.ResourceStatus;
import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.budget.Budget.SubjectType;
import dev.tollway.schemas.budget.Budget.Unit;
import dev.tollway.schemas.budget.Budget.Window;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code Budget} resources ({@code tollway.dev/v1alpha1}) into {@link Budget} records. Pure; an invalid
 * resource gets {@code Accepted=False Invalid} naming the field and never affects the others, and if it was
 * accepted before, its previous budget stays in force (a typo must not lift a limit).
 *
 * <pre>
 * spec:
 *   subject:                 # exactly one of:
 *     team: payments         #   team: a team name (API key metadata.team), or "*" for each team
 *                            #   apiKey: [namespace/]secret/entry (the key's id), or "*" for each key
 *                            #   route: [namespace/]httproute, or "*" for each route
 *   window: Day              # Day or Month (calendar, in timeZone), Minute or Hour (rolling)
 *   timeZone: Europe/Paris   # calendar windows only; default UTC
 *   limit:                   # exactly one of:
 *     usd: "50.00"           #   usd: US dollars, string or number, at most 9 decimals
 *                            #   tokens: input plus output tokens, an integer
 * </pre>
 */
public final class BudgetCompiler {

  /** Appended to the message of an invalid resource whose previous version stays in force. */
  public static final String KEPT = "the last accepted version stays in force";

  /** The time zone of calendar windows when the resource names none, and of rolling windows. */
  public static final String DEFAULT_TIME_ZONE = "UTC";

  private static final Logger log = LoggerFactory.getLogger(BudgetCompiler.class);

  private static final String TOKENS_EXPECTED = "a whole number of tokens, 0 or more";
  private static final Set<String> SPEC_FIELDS = Set.of("subject", "window", "timeZone", "limit");
  private static final List<String> SUBJECTS = List.of("apiKey", "team", "route");
  private static final List<String> LIMITS = List.of("usd", "tokens");
  private static final Map<String, Window> WINDOWS =
      Map.of("Day", Window.day, "Month", Window.month, "Minute", Window.minute, "Hour", Window.hour);

  private BudgetCompiler() {}

  /** Compiles every {@code Budget} resource, with nothing previously accepted. */
  public static BudgetResult compile(List<GenericKubernetesResource> resources) {
    return compile(resources, new TreeMap<>());
  }

  /**
   * Compiles every {@code Budget} resource.
   *
   * @param previous the budgets accepted before (what the topic holds): a resource that is now invalid keeps
   *     its previous budget in force, so a bad edit never lifts a limit
   */
  public static BudgetResult compile(List<GenericKubernetesResource> resources, SortedMap<String, Budget> previous) {
    requireNonNull(resources, "resources");
    requireNonNull(previous, "previous");
    SortedMap<String, Budget> budgets = new TreeMap<>();
    List<ResourceStatus> statuses = new ArrayList<>();
    for (GenericKubernetesResource resource : resources) {
      @Nullable Long generation = Resources.generation(resource);
      Condition condition;
      try {
        Budget budget = read(resource);
        budgets.put(budget.name(), budget);
        condition = Condition.holds(Types.ACCEPTED, Reasons.ACCEPTED, describe(budget), generation);
      } catch (RuntimeException e) {
        String message = e instanceof InvalidSpecException ? e.getMessage() : unexpected(resource, e);
        Budget kept = previous.get(Resources.key(resource));
        if (kept != null) {
          budgets.put(kept.name(), kept);
          message += "; " + KEPT;
        }
        condition = Condition.fails(Types.ACCEPTED, Reasons.INVALID, message, generation);
      }
      statuses.add(ResourceStatus.of(ref(resource), generation, List.of(condition)));
    }
    statuses.sort(Comparator.comparing(ResourceStatus::resource));
    return new BudgetResult(budgets, statuses);
  }

  private static String unexpected(GenericKubernetesResource resource, RuntimeException e) {
    log.debug("{} could not be compiled", Resources.describe(resource), e);
    return "could not be compiled: " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** The reference of a {@code Budget} resource. */
  public static ObjectRef ref(GenericKubernetesResource resource) {
    return new ObjectRef(Resources.TOLLWAY_GROUP, ClusterState.BUDGET, Resources.namespace(resource),
        Resources.name(resource));
  }

  /**
   * Reads one {@code Budget} resource.
   *
   * @throws InvalidSpecException naming the field, such as
   *     {@code spec.window: "Week" (expected: Day, Month, Minute or Hour)}
   */
  public static Budget read(GenericKubernetesResource resource) {
    requireNonNull(resource, "resource");
    SpecReader spec = SpecReader.spec(resource);
    spec.requireKnown(SPEC_FIELDS);
    String namespace = Resources.namespace(resource);

    SpecReader subject = spec.requireObject("subject");
    subject.requireKnown(Set.copyOf(SUBJECTS));
    String kind = subject.exactlyOneOf(SUBJECTS);
    String value = subject.requireString(kind);
    SubjectType subjectType = SubjectType.valueOf(kind);
    String subjectValue = switch (subjectType) {
      case apiKey -> apiKey(subject.path(kind), value, namespace);
      case team -> value;
      case route -> route(subject.path(kind), value, namespace);
    };

    String windowName = spec.string("window").orElseThrow(() -> InvalidSpecException.invalid(spec.path("window"),
        "missing (expected: Day, Month, Minute or Hour)"));
    Window window = WINDOWS.get(windowName);
    if (window == null) {
      throw InvalidSpecException.invalid(spec.path("window"),
          "\"" + windowName + "\" (expected: Day, Month, Minute or Hour)");
    }
    String timeZone = timeZone(spec, window, windowName);

    SpecReader limit = spec.requireObject("limit");
    limit.requireKnown(Set.copyOf(LIMITS));
    String unitField = limit.exactlyOneOf(LIMITS);
    BigDecimal amount = limit.decimal(unitField,
        unitField.equals("usd") ? "US dollars such as \"50.00\"" : TOKENS_EXPECTED).orElseThrow();
    long limitValue;
    Unit unit;
    if (unitField.equals("usd")) {
      unit = Unit.nanoUsd;
      try {
        limitValue = NanoUsd.fromUsd(amount);
      } catch (IllegalArgumentException e) {
        throw InvalidSpecException.invalid(limit.path("usd"), e.getMessage());
      }
    } else {
      unit = Unit.tokens;
      try {
        if (amount.signum() < 0) {
          throw new ArithmeticException("negative");
        }
        limitValue = amount.longValueExact();
      } catch (ArithmeticException e) {
        throw InvalidSpecException.invalid(limit.path("tokens"),
            amount.toPlainString() + " (expected: " + TOKENS_EXPECTED + ")");
      }
    }
    return new Budget(Budget.SCHEMA_VERSION, Resources.key(resource), subjectType, subjectValue, window, timeZone,
        limitValue, unit);
  }

  /** {@code <namespace>/<secret>/<entry>}, the id edge-proxy gives a client API key, or {@code *}. */
  private static String apiKey(String path, String value, String namespace) {
    if (value.equals(Budget.EACH)) {
      return value;
    }
    String[] parts = value.split("/", -1);
    boolean valid = (parts.length == 2 || parts.length == 3)
        && Arrays.stream(parts).noneMatch(p -> p.isBlank() || !p.equals(p.strip()));
    if (!valid) {
      throw InvalidSpecException.invalid(path, "\"" + value
          + "\" (expected: <secret>/<entry> or <namespace>/<secret>/<entry>, the key's id, or * for each key)");
    }
    return parts.length == 2 ? namespace + "/" + value : value;
  }

  /** {@code <namespace>/<httproute>}, or {@code *}. */
  private static String route(String path, String value, String namespace) {
    if (value.equals(Budget.EACH)) {
      return value;
    }
    String[] parts = value.split("/", -1);
    boolean valid = (parts.length == 1 || parts.length == 2)
        && Arrays.stream(parts).noneMatch(p -> p.isBlank() || !p.equals(p.strip()));
    if (!valid) {
      throw InvalidSpecException.invalid(path, "\"" + value
          + "\" (expected: an HTTPRoute name, <namespace>/<name>, or * for each route)");
    }
    return parts.length == 1 ? namespace + "/" + value : value;
  }

  private static String timeZone(SpecReader spec, Window window, String windowName) {
    boolean calendar = window == Window.day || window == Window.month;
    if (!spec.has("timeZone")) {
      return DEFAULT_TIME_ZONE;
    }
    String zone = spec.requireString("timeZone");
    if (!calendar) {
      throw InvalidSpecException.invalid(spec.path("timeZone"), "set for a rolling " + windowName
          + " window (expected: only with Day or Month, whose calendar it sets)");
    }
    try {
      return ZoneId.of(zone).getId();
    } catch (DateTimeException e) {
      throw InvalidSpecException.invalid(spec.path("timeZone"),
          "\"" + zone + "\" (expected: an IANA time zone such as Europe/Paris, or UTC)");
    }
  }

  /** For the Accepted condition: {@code limits team payments to 50 USD per calendar day in Europe/Paris}. */
  static String describe(Budget budget) {
    String who = switch (budget.subjectType()) {
      case apiKey -> budget.subject().equals(Budget.EACH) ? "each API key" : "API key " + budget.subject();
      case team -> budget.subject().equals(Budget.EACH) ? "each team" : "team " + budget.subject();
      case route -> budget.subject().equals(Budget.EACH)
          ? "everyone on each route, per route" : "everyone on route " + budget.subject();
    };
    String amount = budget.unit() == Unit.nanoUsd
        ? NanoUsd.toUsd(budget.limit()) + " USD" : budget.limit() + " tokens";
    String per = switch (budget.window()) {
      case day -> "per calendar day in " + budget.timeZone();
      case month -> "per calendar month in " + budget.timeZone();
      case hour -> "per rolling hour";
      case minute -> "per rolling minute";
    };
    return "limits " + who + " to " + amount + " " + per;
  }
}

package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.usage.quota.BudgetRule;
import dev.tollway.usage.quota.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enforceable budgets of the global budget store, parsed once per version of each budget. A budget that
 * cannot be enforced (unknown time zone, negative limit) is logged once and left out; the others are not
 * affected. The store is read again only when its count of writes ({@link ChangeCountingStore}) moved, and
 * whether any budget applies to a subject is remembered until then: asking costs a counter read and a map
 * lookup per event, however many budgets there are. Used by one stream thread at a time (one instance per
 * processor).
 */
final class BudgetBook {

  private static final Logger LOG = LoggerFactory.getLogger(BudgetBook.class);

  /** How many subjects' answers are remembered before the memory starts again. */
  private static final int REMEMBERED_SUBJECTS = 100_000;

  private final KeyValueStore<String, ValueAndTimestamp<Budget>> store;
  private final LongSupplier changes;
  private final Map<String, Parsed> parsed = new HashMap<>();
  private final Map<Subject, Boolean> applying = new HashMap<>();
  private List<BudgetRule> rules = List.of();
  private long version;
  private boolean read;
  private long readAtChange;

  /**
   * @param store the global budget store
   * @param changes the count of writes to it (read once per question; the store is read when it moved)
   */
  BudgetBook(KeyValueStore<String, ValueAndTimestamp<Budget>> store, LongSupplier changes) {
    this.store = requireNonNull(store, "store");
    this.changes = requireNonNull(changes, "changes");
  }

  /** Whether some enforceable budget applies to {@code subject}. */
  boolean anyApplies(Subject subject) {
    List<BudgetRule> current = rules();
    if (current.isEmpty()) {
      return false;
    }
    Boolean known = applying.get(subject);
    if (known == null) {
      if (applying.size() >= REMEMBERED_SUBJECTS) {
        applying.clear();
      }
      known = current.stream().anyMatch(rule -> rule.appliesTo(subject));
      applying.put(subject, known);
    }
    return known;
  }

  /** The enforceable budgets as the store holds them now. */
  List<BudgetRule> rules() {
    long change = changes.getAsLong();
    if (read && change == readAtChange) {
      return rules;
    }
    // noted before reading: a write during the read makes the next call read again
    read = true;
    readAtChange = change;
    List<BudgetRule> current = new ArrayList<>();
    Map<String, Parsed> seen = new HashMap<>();
    boolean changed = false;
    try (KeyValueIterator<String, ValueAndTimestamp<Budget>> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, ValueAndTimestamp<Budget>> entry = all.next();
        Budget budget = ValueAndTimestamp.getValueOrNull(entry.value);
        if (budget == null) {
          continue;
        }
        Parsed known = parsed.get(entry.key);
        if (known == null || !known.budget.equals(budget)) {
          known = parse(budget);
          changed = true;
        }
        seen.put(entry.key, known);
        if (known.rule != null) {
          current.add(known.rule);
        }
      }
    }
    if (changed || seen.size() != parsed.size()) {
      parsed.clear();
      parsed.putAll(seen);
      rules = List.copyOf(current);
      applying.clear();
      version++;
    }
    return rules;
  }

  /** Grows each time {@link #rules()} finds the budgets changed. */
  long version() {
    return version;
  }

  private static Parsed parse(Budget budget) {
    BudgetRule rule =
        BudgetRule.of(
                budget,
                reason -> LOG.warn("ignoring a budget that cannot be enforced: budget={} reason={}", budget.name(), reason))
            .orElse(null);
    return new Parsed(budget, rule);
  }

  private record Parsed(Budget budget, @Nullable BudgetRule rule) {}
}

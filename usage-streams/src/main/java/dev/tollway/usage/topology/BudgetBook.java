package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.usage.quota.BudgetRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * affected. Used by one stream thread at a time (one instance per processor).
 */
final class BudgetBook {

  private static final Logger LOG = LoggerFactory.getLogger(BudgetBook.class);

  private final KeyValueStore<String, ValueAndTimestamp<Budget>> store;
  private final Map<String, Parsed> parsed = new HashMap<>();
  private List<BudgetRule> rules = List.of();
  private long version;

  BudgetBook(KeyValueStore<String, ValueAndTimestamp<Budget>> store) {
    this.store = requireNonNull(store, "store");
  }

  /** The enforceable budgets as the store holds them now. */
  List<BudgetRule> rules() {
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

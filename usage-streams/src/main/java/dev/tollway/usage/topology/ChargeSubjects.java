package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.usage.cost.PricedUsage;
import dev.tollway.usage.quota.Charge;
import dev.tollway.usage.quota.Subject;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.jspecify.annotations.Nullable;

/**
 * What a priced event charges: one {@link Charge} per subject it charges (its API key, team and route), keyed
 * by {@link Subject#key()}, in the bucket of the event's second, but only for subjects some budget applies
 * to (the others need no running total). Every budget bucket — a second, a minute, a calendar day or month in
 * any time zone — starts on a whole second, so charges summed per second still fall in one bucket each.
 */
final class ChargeSubjects implements PreAggregate.Parts<PricedUsage, String, Charge> {

  private static final long SECOND_MILLIS = 1_000;

  private final String budgetsStore;
  private final LongSupplier budgetChanges;
  private @Nullable BudgetBook budgets;

  /**
   * @param budgetsStore the global budget store
   * @param budgetChanges the count of writes to it ({@link ChangeCountingStore})
   */
  ChargeSubjects(String budgetsStore, LongSupplier budgetChanges) {
    this.budgetsStore = requireNonNull(budgetsStore, "budgetsStore");
    this.budgetChanges = requireNonNull(budgetChanges, "budgetChanges");
  }

  @Override
  public void init(ProcessorContext<?, ?> context) {
    KeyValueStore<String, ValueAndTimestamp<Budget>> store = context.getStateStore(budgetsStore);
    this.budgets = new BudgetBook(store, budgetChanges);
  }

  @Override
  public void of(PricedUsage priced, long timestamp, PreAggregate.Sink<String, Charge> sink) {
    BudgetBook book = requireNonNull(budgets, "budgets");
    if (book.rules().isEmpty()) {
      return;
    }
    long second = Math.floorDiv(timestamp, SECOND_MILLIS) * SECOND_MILLIS;
    for (Subject subject : Subject.of(priced.event())) {
      if (book.anyApplies(subject)) {
        sink.add(subject.key(), second, Charge.of(subject, priced.event(), priced.cost()));
      }
    }
  }
}

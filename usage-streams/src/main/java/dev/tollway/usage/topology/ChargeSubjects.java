package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.usage.cost.PricedUsage;
import dev.tollway.usage.quota.BudgetRule;
import dev.tollway.usage.quota.Charge;
import dev.tollway.usage.quota.Subject;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.jspecify.annotations.Nullable;

/**
 * Turns a priced event into one {@link Charge} per subject it charges (its API key, team and route), keyed
 * by {@link Subject#key()}, but only for subjects some budget applies to: the others need no running total.
 */
final class ChargeSubjects implements Processor<String, PricedUsage, String, Charge> {

  private final String budgetsStore;
  private @Nullable ProcessorContext<String, Charge> context;
  private @Nullable BudgetBook budgets;

  private ChargeSubjects(String budgetsStore) {
    this.budgetsStore = budgetsStore;
  }

  static ProcessorSupplier<String, PricedUsage, String, Charge> supplier(String budgetsStore) {
    requireNonNull(budgetsStore, "budgetsStore");
    return () -> new ChargeSubjects(budgetsStore);
  }

  @Override
  public void init(ProcessorContext<String, Charge> context) {
    this.context = context;
    KeyValueStore<String, ValueAndTimestamp<Budget>> store = context.getStateStore(budgetsStore);
    this.budgets = new BudgetBook(store);
  }

  @Override
  public void process(Record<String, PricedUsage> record) {
    PricedUsage priced = record.value();
    List<BudgetRule> rules = requireNonNull(budgets, "budgets").rules();
    if (rules.isEmpty()) {
      return;
    }
    for (Subject subject : Subject.of(priced.event())) {
      if (rules.stream().anyMatch(rule -> rule.appliesTo(subject))) {
        Charge charge = Charge.of(subject, priced.event(), priced.cost());
        requireNonNull(context, "context").forward(record.withKey(subject.key()).withValue(charge));
      }
    }
  }
}

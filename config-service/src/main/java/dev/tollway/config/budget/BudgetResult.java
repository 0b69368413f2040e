package dev.tollway.config.budget;

import dev.tollway.config.status.ResourceStatus;
import dev.tollway.schemas.budget.Budget;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one budget compilation produced.
 *
 * @param budgets the budgets to publish, by {@code <namespace>/<name>}
 * @param statuses the verdict on every {@code Budget} resource, sorted by namespace and name
 */
public record BudgetResult(SortedMap<String, Budget> budgets, List<ResourceStatus> statuses) {

  public BudgetResult {
    budgets = Collections.unmodifiableSortedMap(new TreeMap<>(budgets));
    statuses = List.copyOf(statuses);
  }

  /** Every condition that reports a problem, in status order. */
  public List<ResourceStatus.Problem> problems() {
    return statuses.stream().flatMap(s -> s.problems().stream()).toList();
  }
}

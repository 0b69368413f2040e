package dev.tollway.config.snapshot;

import dev.tollway.config.status.ResourceStatus;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one compilation produced.
 *
 * @param snapshots one snapshot per owned Gateway, by {@code <namespace>/<name>}
 * @param statuses the verdict on every resource this controller is responsible for, sorted by group, kind,
 *     namespace and name
 */
public record CompileResult(SortedMap<String, GatewaySnapshot> snapshots, List<ResourceStatus> statuses) {

  public CompileResult {
    snapshots = Collections.unmodifiableSortedMap(new TreeMap<>(snapshots));
    statuses = List.copyOf(statuses);
  }

  /** Every condition that reports a problem, in status order. */
  public List<ResourceStatus.Problem> problems() {
    return statuses.stream().flatMap(s -> s.problems().stream()).toList();
  }
}

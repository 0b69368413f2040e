package dev.tollway.config.provision;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one provisioning pass did.
 *
 * @param changes what was created, updated or deleted: {@code created Deployment default/agentgateway}
 * @param invalidParameters Gateways (by key) whose {@code AgentgatewayParameters} are missing or invalid, with
 *     the reason: they are not provisioned, and their status says why
 * @param failures Gateways whose objects could not be written (API errors, a name taken by an object Tollway does
 *     not manage), with the reason; retried at the next pass
 */
public record ProvisionResult(
    List<String> changes, SortedMap<String, String> invalidParameters, SortedMap<String, String> failures) {

  public static final ProvisionResult NONE = new ProvisionResult(List.of(), new TreeMap<>(), new TreeMap<>());

  public ProvisionResult {
    changes = List.copyOf(changes);
    invalidParameters = Collections.unmodifiableSortedMap(new TreeMap<>(invalidParameters));
    failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures));
  }

  public boolean ok() {
    return failures.isEmpty();
  }
}

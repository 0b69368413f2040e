package dev.tollway.edge.auth;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.snapshot.ApiKeySet;
import dev.tollway.schemas.snapshot.ApiKeySet.ClientApiKey;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The client API keys of one Gateway's snapshot, indexed by digest, built when the routing table is compiled
 * and replaced with it: a key rotated or deleted in a new snapshot is gone the moment the new table is
 * swapped in, and nothing about it outlives that table.
 */
public final class ClientKeys {

  private final Map<String, Map<String, ClientApiKey>> bySet;
  private final Map<List<String>, RouteKeys> byRouteSets = new HashMap<>();

  private ClientKeys(Map<String, Map<String, ClientApiKey>> bySet) {
    this.bySet = bySet;
  }

  /** Indexes the key sets of a snapshot. */
  public static ClientKeys of(GatewaySnapshot snapshot) {
    requireNonNull(snapshot, "snapshot");
    Map<String, Map<String, ClientApiKey>> bySet = new HashMap<>();
    for (Map.Entry<String, ApiKeySet> set : snapshot.apiKeySets().entrySet()) {
      Map<String, ClientApiKey> byDigest = new HashMap<>();
      for (ClientApiKey key : set.getValue().keys()) {
        byDigest.putIfAbsent(key.digest(), key);
      }
      bySet.put(set.getKey(), Map.copyOf(byDigest));
    }
    return new ClientKeys(bySet);
  }

  /**
   * What a route with this {@code apiKeyAuth} requires, its key sets merged (a digest in two sets counts as
   * the first set's key). A key set the snapshot does not carry contributes no key. Routes that name the same
   * sets share one lookup. Not thread-safe: call while compiling the table.
   */
  public RouteKeys forRoute(@Nullable ApiKeyAuth auth) {
    if (auth == null) {
      return RouteKeys.none();
    }
    RouteKeys keys = byRouteSets.computeIfAbsent(auth.keySets(), sets -> {
      Map<String, ClientApiKey> merged = new LinkedHashMap<>();
      for (String set : sets) {
        bySet.getOrDefault(set, Map.of()).forEach(merged::putIfAbsent);
      }
      return new RouteKeys(auth.mode(), merged);
    });
    return keys.mode() == auth.mode() ? keys : new RouteKeys(auth.mode(), keys.keys());
  }
}

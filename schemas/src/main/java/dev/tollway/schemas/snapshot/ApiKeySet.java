package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The client API keys of one {@code apiKeyAuthentication} policy, from its Secrets. Keys are never in the
 * snapshot: only a keyed digest of each ({@code SnapshotCipher.digest}), which the proxy compares with the
 * digest of the key a request presents.
 *
 * @param keys the keys
 */
public record ApiKeySet(List<ClientApiKey> keys) {

  public ApiKeySet {
    keys = List.copyOf(keys);
  }

  /**
   * One client API key.
   *
   * @param id a stable id that does not change when the key is rotated: {@code <namespace>/<secret>/<entry>}
   * @param name a display name (the Secret entry's name, or {@code metadata.name})
   * @param digest the keyed digest of the key
   * @param team {@code metadata.team}, for metering and team budgets
   * @param user {@code metadata.user}
   * @param tags every other metadata field
   */
  public record ClientApiKey(
      String id,
      String name,
      String digest,
      @Nullable String team,
      @Nullable String user,
      SortedMap<String, String> tags) {

    public ClientApiKey {
      requireNonNull(id, "id");
      requireNonNull(name, "name");
      requireNonNull(digest, "digest");
      tags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    @Override
    public String toString() {
      return "ClientApiKey[id=" + id + ", name=" + name + ", team=" + team + "]";
    }
  }
}

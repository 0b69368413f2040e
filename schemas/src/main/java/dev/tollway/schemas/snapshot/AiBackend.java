package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The LLM side of an {@code AgentgatewayBackend}: providers in priority groups, and the AI policy.
 *
 * @param groups provider groups, highest priority first; a backend with a single {@code provider} has one
 *     group of one
 * @param policy the backend's AI policy
 */
public record AiBackend(List<ProviderGroup> groups, AiPolicy policy) {

  public AiBackend {
    groups = List.copyOf(groups);
    requireNonNull(policy, "policy");
  }

  /**
   * Providers of equal priority.
   *
   * @param providers the providers, names unique within the group
   */
  public record ProviderGroup(List<Provider> providers) {
    public ProviderGroup {
      providers = List.copyOf(providers);
    }
  }

  /**
   * {@code spec.policies.ai} of the backend.
   *
   * @param routes path suffix to route type ({@code Completions}, {@code Messages}, {@code Passthrough},
   *     ...); {@code *} matches every path. Empty means every path is a chat completion.
   * @param modelAliases requested model name to the model sent to the provider
   */
  public record AiPolicy(SortedMap<String, String> routes, SortedMap<String, String> modelAliases) {
    public AiPolicy {
      routes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(routes));
      modelAliases = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(modelAliases));
    }

    public static AiPolicy none() {
      return new AiPolicy(new TreeMap<>(), new TreeMap<>());
    }
  }
}

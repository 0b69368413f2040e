package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The LLM side of an {@code AgentgatewayBackend}: providers in priority groups, and the AI policy.
 *
 * @param groups provider groups, highest priority first; a backend with a single {@code provider} has one
 *     group of one
 * @param policy the backend's AI policy
 * @param health when a provider is evicted from selection, if failover is configured
 * @param requestTimeoutMillis {@code spec.policies.http.requestTimeout}: each upstream attempt, if set
 */
public record AiBackend(
    List<ProviderGroup> groups, AiPolicy policy, @Nullable HealthPolicy health, @Nullable Long requestTimeoutMillis) {

  public AiBackend {
    groups = List.copyOf(groups);
    requireNonNull(policy, "policy");
  }

  /** A backend without health policy or request timeout. */
  public AiBackend(List<ProviderGroup> groups, AiPolicy policy) {
    this(groups, policy, null, null);
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
   * @param modelAliases requested model name (exact, or a pattern with {@code *}) to the model sent to the
   *     provider
   * @param defaults request body fields set when the client did not set them
   * @param overrides request body fields set whatever the client sent
   * @param prepend messages put before the client's
   * @param append messages put after the client's
   */
  public record AiPolicy(
      SortedMap<String, String> routes,
      SortedMap<String, String> modelAliases,
      List<FieldValue> defaults,
      List<FieldValue> overrides,
      List<PromptMessage> prepend,
      List<PromptMessage> append) {

    public AiPolicy {
      routes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(routes));
      modelAliases = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(modelAliases));
      defaults = List.copyOf(defaults);
      overrides = List.copyOf(overrides);
      prepend = List.copyOf(prepend);
      append = List.copyOf(append);
    }

    /** A policy with route types and aliases only. */
    public AiPolicy(SortedMap<String, String> routes, SortedMap<String, String> modelAliases) {
      this(routes, modelAliases, List.of(), List.of(), List.of(), List.of());
    }

    public static AiPolicy none() {
      return new AiPolicy(new TreeMap<>(), new TreeMap<>());
    }
  }

  /**
   * A top-level request body field and the JSON value to put there.
   *
   * @param field the field name, such as {@code temperature}
   * @param value the value, any JSON
   */
  public record FieldValue(String field, JsonNode value) {
    public FieldValue {
      requireNonNull(field, "field");
      requireNonNull(value, "value");
    }
  }

  /**
   * A message added to every prompt ({@code spec.policies.ai.prompt}).
   *
   * @param role {@code system}, {@code user} or {@code assistant}
   * @param content the text
   */
  public record PromptMessage(String role, String content) {
    public PromptMessage {
      requireNonNull(role, "role");
      requireNonNull(content, "content");
    }
  }
}

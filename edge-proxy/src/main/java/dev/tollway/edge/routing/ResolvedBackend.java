package dev.tollway.edge.routing;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.schemas.snapshot.AiBackend.AiPolicy;
import dev.tollway.schemas.snapshot.Backend.HostBackend;
import dev.tollway.schemas.snapshot.HealthPolicy;
import dev.tollway.schemas.snapshot.Provider;
import dev.tollway.schemas.snapshot.UnhealthyCondition;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A backend of the snapshot made ready to serve: credentials opened, protocols resolved, or why not. */
public sealed interface ResolvedBackend {

  /** {@code "<namespace>/<name>"} of the backend. */
  String name();

  /**
   * LLM providers in priority groups.
   *
   * @param groups provider groups, highest priority first; never empty, no group empty
   * @param policy the backend's AI policy
   * @param health when providers are evicted; the defaults of {@link HealthPolicy} when the backend sets none
   * @param condition {@code health.unhealthyCondition}, parsed
   * @param requestTimeoutMillis {@code spec.policies.http.requestTimeout}: each attempt, if set
   */
  record Ai(
      String name,
      List<List<ResolvedProvider>> groups,
      AiPolicy policy,
      HealthPolicy health,
      UnhealthyCondition condition,
      @Nullable Long requestTimeoutMillis)
      implements ResolvedBackend {

    /** Without a health policy: 5xx, 429 and connection failures evict for 3s, growing (agentgateway's default). */
    public static final HealthPolicy DEFAULT_HEALTH = new HealthPolicy(null, 3_000, 1);

    public Ai {
      requireNonNull(name, "name");
      groups = groups.stream().map(List::copyOf).toList();
      requireNonNull(policy, "policy");
      requireNonNull(health, "health");
      requireNonNull(condition, "condition");
      if (groups.isEmpty() || groups.stream().anyMatch(List::isEmpty)) {
        throw new IllegalArgumentException("an AI backend needs at least one provider in every group");
      }
    }

    /** A backend with the default health policy and no request timeout. */
    public Ai(String name, List<List<ResolvedProvider>> groups, AiPolicy policy) {
      this(name, groups, policy, DEFAULT_HEALTH, UnhealthyCondition.DEFAULT, null);
    }
  }

  /** A plain HTTP upstream. */
  record Host(String name, HostBackend host) implements ResolvedBackend {
    public Host {
      requireNonNull(name, "name");
      requireNonNull(host, "host");
    }
  }

  /** A backend that cannot serve; requests that pick it get {@code BACKEND_UNAVAILABLE} with the reason. */
  record Unavailable(String name, String reason) implements ResolvedBackend {
    public Unavailable {
      requireNonNull(name, "name");
      requireNonNull(reason, "reason");
    }
  }

  /**
   * A provider with its protocol and its opened credential.
   *
   * @param credential the provider key in the clear, or null when the provider takes none; never logged
   */
  record ResolvedProvider(Provider provider, ProviderProtocol protocol, @Nullable String credential) {
    public ResolvedProvider {
      requireNonNull(provider, "provider");
      requireNonNull(protocol, "protocol");
    }

    @Override
    public String toString() {
      return "ResolvedProvider[name=" + provider.name() + ", type=" + provider.type() + ", credential="
          + (credential == null ? "none" : "<redacted>") + "]";
    }
  }
}

package dev.tollway.edge.snapshot;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.provider.ProtocolLookup;
import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.edge.routing.BackendResolver;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.snapshot.AiBackend;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.HealthPolicy;
import dev.tollway.schemas.snapshot.UnhealthyCondition;
import dev.tollway.schemas.snapshot.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a snapshot's backends: opens each provider key with the snapshot key for the Gateway it was
 * sealed for, and finds each provider's protocol. A backend that cannot serve becomes
 * {@link ResolvedBackend.Unavailable} with a reason the caller can act on; the secret never appears in it.
 */
public final class SnapshotBackendResolver implements BackendResolver {

  private final SnapshotCipher cipher;
  private final ProtocolLookup protocols;

  public SnapshotBackendResolver(SnapshotCipher cipher, ProtocolLookup protocols) {
    this.cipher = requireNonNull(cipher, "cipher");
    this.protocols = requireNonNull(protocols, "protocols");
  }

  @Override
  public ResolvedBackend resolve(GatewaySnapshot snapshot, BackendRef ref) {
    Optional<Backend> found = snapshot.backend(ref.backend());
    if (found.isEmpty()) {
      return new ResolvedBackend.Unavailable(ref.backend(), "backend " + ref.backend() + " is not in the snapshot");
    }
    Backend backend = found.get();
    return switch (backend.kind()) {
      case host -> backend.host() == null
          ? new ResolvedBackend.Unavailable(backend.name(), "backend " + backend.name() + " has no host")
          : new ResolvedBackend.Host(backend.name(), backend.host());
      case ai -> backend.ai() == null
          ? new ResolvedBackend.Unavailable(backend.name(), "backend " + backend.name() + " has no providers")
          : resolveAi(snapshot.gateway(), backend.name(), backend.ai());
    };
  }

  private ResolvedBackend resolveAi(String gateway, String name, AiBackend ai) {
    List<List<ResolvedProvider>> groups = new ArrayList<>();
    for (AiBackend.ProviderGroup group : ai.groups()) {
      List<ResolvedProvider> providers = new ArrayList<>();
      for (Provider provider : group.providers()) {
        Optional<ProviderProtocol> protocol = protocols.find(provider.type());
        if (protocol.isEmpty()) {
          return new ResolvedBackend.Unavailable(
              name, "backend " + name + ": provider type " + provider.type() + " is not supported by this proxy");
        }
        String credential;
        try {
          credential = credential(gateway, provider);
        } catch (IllegalArgumentException e) {
          return new ResolvedBackend.Unavailable(
              name, "backend " + name + ": the credential of provider " + provider.name()
                  + " does not open with this proxy's snapshot key");
        }
        providers.add(new ResolvedProvider(provider, protocol.get(), credential));
      }
      if (!providers.isEmpty()) {
        groups.add(providers);
      }
    }
    if (groups.isEmpty()) {
      return new ResolvedBackend.Unavailable(name, "backend " + name + " has no providers");
    }
    HealthPolicy health = ai.health() == null ? ResolvedBackend.Ai.DEFAULT_HEALTH : ai.health();
    UnhealthyCondition condition;
    try {
      condition = UnhealthyCondition.of(health);
    } catch (IllegalArgumentException e) {
      return new ResolvedBackend.Unavailable(
          name, "backend " + name + ": spec.policies.health.unhealthyCondition: " + e.getMessage());
    }
    Long timeout = ai.requestTimeoutMillis() != null && ai.requestTimeoutMillis() > 0 ? ai.requestTimeoutMillis() : null;
    return new ResolvedBackend.Ai(name, groups, ai.policy(), health, condition, timeout);
  }

  private @org.jspecify.annotations.Nullable String credential(String gateway, Provider provider) {
    Provider.ProviderAuth auth = provider.auth();
    if (auth.mode() != Provider.ProviderAuth.Mode.key) {
      return null;
    }
    if (auth.key() == null) {
      throw new IllegalArgumentException("no key");
    }
    return cipher.open(gateway, auth.key());
  }
}

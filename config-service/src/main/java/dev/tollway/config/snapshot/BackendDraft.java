package dev.tollway.config.snapshot;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.snapshot.AiBackend;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.HealthPolicy;
import dev.tollway.schemas.snapshot.Provider;
import dev.tollway.schemas.snapshot.Provider.ProviderAuth;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A backend the compiler accepted, still holding plaintext credentials. It becomes a snapshot
 * {@link Backend} per Gateway, where credentials are sealed for that Gateway. Drafts never leave the
 * compiler, and their {@code toString} never shows a credential.
 */
sealed interface BackendDraft {

  /** The backend's key in the snapshot. */
  String key();

  /** The snapshot backend, credentials sealed for {@code gatewayKey}. */
  Backend seal(String gatewayKey, SnapshotCipher cipher);

  /** An {@code AgentgatewayBackend} with {@code spec.ai}. */
  record Ai(
      String key,
      List<List<ProviderDraft>> groups,
      AiBackend.AiPolicy policy,
      @Nullable HealthPolicy health,
      @Nullable Long requestTimeoutMillis)
      implements BackendDraft {
    public Ai {
      requireNonNull(key, "key");
      groups = groups.stream().map(List::copyOf).toList();
      requireNonNull(policy, "policy");
    }

    @Override
    public Backend seal(String gatewayKey, SnapshotCipher cipher) {
      List<AiBackend.ProviderGroup> sealed =
          groups.stream()
              .map(g -> new AiBackend.ProviderGroup(g.stream().map(p -> p.seal(gatewayKey, cipher)).toList()))
              .toList();
      return Backend.ai(key, new AiBackend(sealed, policy, health, requestTimeoutMillis));
    }
  }

  /** A plain HTTP upstream: a {@code Service} port or an {@code AgentgatewayBackend} with {@code spec.static}. */
  record Host(String key, String name, Backend.HostBackend host) implements BackendDraft {
    public Host {
      requireNonNull(key, "key");
      requireNonNull(name, "name");
      requireNonNull(host, "host");
    }

    @Override
    public Backend seal(String gatewayKey, SnapshotCipher cipher) {
      return Backend.host(name, host);
    }
  }

  /** One provider of an AI backend, its credential in plaintext. */
  record ProviderDraft(
      String name,
      Provider.ProviderType type,
      @Nullable String model,
      @Nullable String host,
      @Nullable Integer port,
      @Nullable String path,
      @Nullable String pathPrefix,
      boolean tls,
      SortedMap<String, String> settings,
      AuthDraft auth) {

    public ProviderDraft {
      requireNonNull(name, "name");
      requireNonNull(type, "type");
      settings = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(settings));
      requireNonNull(auth, "auth");
    }

    Provider seal(String gatewayKey, SnapshotCipher cipher) {
      return new Provider(
          name, type, model, host, port, path, pathPrefix, tls, settings, auth.seal(gatewayKey, cipher));
    }
  }

  /**
   * How to authenticate to a provider; {@code key} is plaintext until sealed.
   *
   * @param onlyFor the provider type the credential is for (AWS keys for Bedrock, a service account for
   *     Vertex AI), or null when any provider takes it
   * @param path where the credential was declared, for errors
   */
  record AuthDraft(ProviderAuth.Mode mode, @Nullable String key, Provider.@Nullable ProviderType onlyFor, String path) {
    static final AuthDraft NONE = new AuthDraft(ProviderAuth.Mode.none, null, null, "spec.policies.auth");
    static final AuthDraft PASSTHROUGH = new AuthDraft(ProviderAuth.Mode.passthrough, null, null, "spec.policies.auth");

    public AuthDraft {
      requireNonNull(mode, "mode");
      requireNonNull(path, "path");
    }

    static AuthDraft key(String key) {
      return new AuthDraft(ProviderAuth.Mode.key, requireNonNull(key, "key"), null, "spec.policies.auth");
    }

    /** A credential only one provider type can use, declared at {@code path}. */
    static AuthDraft scoped(String key, Provider.ProviderType type, String path) {
      return new AuthDraft(ProviderAuth.Mode.key, requireNonNull(key, "key"), requireNonNull(type, "type"), path);
    }

    ProviderAuth seal(String gatewayKey, SnapshotCipher cipher) {
      return key == null
          ? new ProviderAuth(mode, null)
          : new ProviderAuth(mode, cipher.seal(gatewayKey, key));
    }

    @Override
    public String toString() {
      return "AuthDraft[mode=" + mode + (key == null ? "" : ", key=<redacted>")
          + (onlyFor == null ? "" : ", onlyFor=" + onlyFor) + "]";
    }
  }
}

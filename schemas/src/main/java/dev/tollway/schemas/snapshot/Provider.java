package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One LLM provider endpoint with its credential.
 *
 * @param name the provider's name (the backend's name for a single-provider backend)
 * @param type which provider API the upstream speaks
 * @param model the model sent to the provider, overriding the request's; absent means the request's model
 * @param host overrides the provider's default host (plain HTTP unless {@link #tls()})
 * @param port the port for {@link #host()}
 * @param path replaces the whole upstream path
 * @param pathPrefix replaces the default base path such as {@code /v1}
 * @param tls whether to speak TLS to the upstream
 * @param settings provider-specific settings ({@code region}, {@code projectId}, {@code endpoint},
 *     {@code deploymentName}, {@code apiVersion})
 * @param auth how the proxy authenticates to the provider
 */
public record Provider(
    String name,
    ProviderType type,
    @Nullable String model,
    @Nullable String host,
    @Nullable Integer port,
    @Nullable String path,
    @Nullable String pathPrefix,
    boolean tls,
    SortedMap<String, String> settings,
    ProviderAuth auth) {

  public Provider {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    settings = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(settings));
    requireNonNull(auth, "auth");
  }

  /** The provider APIs Tollway can call. */
  public enum ProviderType {
    openai,
    anthropic,
    gemini,
    vertexai,
    bedrock,
    azureopenai
  }

  /**
   * The credential the proxy sends to the provider.
   *
   * @param mode how the proxy authenticates
   * @param key the credential, sealed, for {@link Mode#key}: a provider key; for Bedrock, AWS keys as the JSON
   *     object {@code {"accessKey", "secretKey", "sessionToken"}}; for Vertex AI, a service-account JSON key
   */
  public record ProviderAuth(Mode mode, @Nullable SealedValue key) {
    public ProviderAuth {
      requireNonNull(mode, "mode");
    }

    public static ProviderAuth none() {
      return new ProviderAuth(Mode.none, null);
    }

    public static ProviderAuth key(SealedValue key) {
      return new ProviderAuth(Mode.key, requireNonNull(key, "key"));
    }

    /** Authentication modes. */
    public enum Mode {
      /** No credential is sent. */
      none,
      /** A key from a Secret is sent the provider's way. */
      key,
      /** The client's own credential is forwarded. */
      passthrough
    }
  }
}

package dev.tollway.edge.pipeline;

import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.schemas.snapshot.Provider;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.jspecify.annotations.Nullable;

/** The credential the proxy sends a provider: its own key, none, or the client's (auth passthrough). */
final class Credentials {

  private static final HttpString X_API_KEY = new HttpString("x-api-key");
  private static final HttpString X_GOOG_API_KEY = new HttpString("x-goog-api-key");

  private Credentials() {}

  static @Nullable String forProvider(ResolvedProvider provider, HeaderMap clientHeaders) {
    if (provider.provider().auth().mode() == Provider.ProviderAuth.Mode.passthrough) {
      return clientCredential(clientHeaders);
    }
    return provider.credential();
  }

  /** The client's key from {@code Authorization: Bearer}, {@code x-api-key} or {@code x-goog-api-key}. */
  static @Nullable String clientCredential(HeaderMap headers) {
    String authorization = headers.getFirst(Headers.AUTHORIZATION);
    if (authorization != null) {
      String value = authorization.strip();
      return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip() : value;
    }
    String apiKey = headers.getFirst(X_API_KEY);
    return apiKey != null ? apiKey.strip() : headers.getFirst(X_GOOG_API_KEY);
  }
}

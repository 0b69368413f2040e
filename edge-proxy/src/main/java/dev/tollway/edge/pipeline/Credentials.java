package dev.tollway.edge.pipeline;

import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.schemas.snapshot.Provider;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The credential the proxy sends a provider: its own key, none, or the client's (auth passthrough). */
final class Credentials {

  private static final HttpString X_API_KEY = new HttpString("x-api-key");
  private static final HttpString X_GOOG_API_KEY = new HttpString("x-goog-api-key");
  private static final HttpString API_KEY = new HttpString("api-key");

  private Credentials() {}

  static @Nullable String forProvider(ResolvedProvider provider, HeaderMap clientHeaders) {
    if (provider.provider().auth().mode() == Provider.ProviderAuth.Mode.passthrough) {
      return clientCredential(clientHeaders);
    }
    return provider.credential();
  }

  /**
   * The client's key, as any client API carries it: {@code Authorization: Bearer} (OpenAI, and the
   * Anthropic SDKs), {@code x-api-key} (Anthropic), {@code x-goog-api-key} (Gemini), {@code api-key} (Azure
   * OpenAI); null when the request has none.
   */
  static @Nullable String clientCredential(HeaderMap headers) {
    String authorization = headers.getFirst(Headers.AUTHORIZATION);
    if (authorization != null) {
      String value = authorization.strip();
      return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip() : value;
    }
    for (HttpString header : List.of(X_API_KEY, X_GOOG_API_KEY, API_KEY)) {
      String value = headers.getFirst(header);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }
}

package dev.tollway.edge.pipeline;

import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.schemas.snapshot.Provider;
import io.undertow.server.HttpServerExchange;
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

  static @Nullable String forProvider(ResolvedProvider provider, HttpServerExchange exchange) {
    if (provider.provider().auth().mode() == Provider.ProviderAuth.Mode.passthrough) {
      RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
      return clientCredential(exchange.getRequestHeaders(), route == null ? "" : route.query());
    }
    return provider.credential();
  }

  /**
   * The client's key, as any client API carries it: {@code Authorization: Bearer} (OpenAI, and the
   * Anthropic SDKs), {@code x-api-key} (Anthropic), {@code x-goog-api-key} (Gemini), {@code api-key} (Azure
   * OpenAI), then Gemini's {@code key} query parameter; null when the request has none. (A gateway API key
   * has already been taken out of where it was.)
   *
   * @param rawQuery the request's query string as routed, empty when none
   */
  static @Nullable String clientCredential(HeaderMap headers, String rawQuery) {
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
    return QueryKey.in(rawQuery);
  }
}

package dev.tollway.edge.pipeline;

import dev.tollway.edge.usage.RequestUsage;
import dev.tollway.schemas.snapshot.RouteFilter;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Which request and response headers cross the proxy. */
final class ForwardHeaders {

  /** Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded either way. */
  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection");

  /** Client credentials that never reach an LLM provider: the gateway sends its own. */
  private static final Set<String> CLIENT_CREDENTIALS =
      Set.of("authorization", "x-api-key", "x-goog-api-key", "api-key", "cookie");

  /** Set by the gateway for routing; providers have no use for it. */
  private static final Set<String> GATEWAY_ONLY = Set.of("x-gateway-model");

  /** Set by the proxy itself. */
  private static final Set<String> RECOMPUTED = Set.of("host", "content-length", "expect");

  private static final HttpString TRACEPARENT = new HttpString("traceparent");

  private ForwardHeaders() {}

  /**
   * Sets the W3C {@code traceparent} of the request's current upstream attempt (its trace, its own span id),
   * replacing the client's; the client's {@code tracestate} goes on as it came.
   */
  static void trace(HeaderMap headers, RequestUsage usage) {
    headers.put(TRACEPARENT, usage.upstreamTraceparent());
  }

  /**
   * Headers of a client request bound for an LLM provider: without hop-by-hop headers, {@code Proxy-*},
   * {@code Host}, {@code Content-Length}, the client's credentials ({@code Authorization}, {@code x-api-key},
   * {@code x-goog-api-key}, {@code api-key}, {@code Cookie}), {@code x-gateway-model} and
   * {@code Accept-Encoding} (the proxy must read the answer); then the route's header modifiers.
   */
  static HeaderMap forProvider(HeaderMap client, List<RouteFilter.HeaderModifier> modifiers) {
    HeaderMap out = copy(client, true, true);
    out.remove(Headers.ACCEPT_ENCODING);
    applyModifiers(out, modifiers);
    return out;
  }

  /**
   * Headers of a client request bound for a plain HTTP backend: without hop-by-hop headers, {@code Proxy-*},
   * {@code Host}, {@code Content-Length} and the client's credentials ({@code Authorization}, cookies, API key
   * headers) — never forwarded, to any backend; a route's {@code RequestHeaderModifier} may set what the
   * backend needs.
   */
  static HeaderMap forHost(HeaderMap client, List<RouteFilter.HeaderModifier> modifiers) {
    HeaderMap out = copy(client, true, false);
    applyModifiers(out, modifiers);
    return out;
  }

  /** Response headers of an upstream, without hop-by-hop headers. */
  static void copyResponse(HeaderMap upstream, HeaderMap client) {
    Set<String> connectionListed = connectionTokens(upstream);
    for (HeaderValues values : upstream) {
      String name = values.getHeaderName().toString().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name) || name.startsWith("proxy-") || connectionListed.contains(name)) {
        continue;
      }
      client.putAll(values.getHeaderName(), values);
    }
  }

  private static HeaderMap copy(HeaderMap client, boolean stripCredentials, boolean stripGatewayOnly) {
    Set<String> connectionListed = connectionTokens(client);
    HeaderMap out = new HeaderMap();
    for (HeaderValues values : client) {
      String name = values.getHeaderName().toString().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name)
          || name.startsWith("proxy-")
          || RECOMPUTED.contains(name)
          || connectionListed.contains(name)
          || (stripCredentials && CLIENT_CREDENTIALS.contains(name))
          || (stripGatewayOnly && GATEWAY_ONLY.contains(name))) {
        continue;
      }
      out.putAll(values.getHeaderName(), values);
    }
    return out;
  }

  private static Set<String> connectionTokens(HeaderMap headers) {
    Set<String> tokens = new HashSet<>();
    HeaderValues connection = headers.get(Headers.CONNECTION);
    if (connection != null) {
      for (String value : connection) {
        for (String token : value.split(",")) {
          tokens.add(token.strip().toLowerCase(Locale.ROOT));
        }
      }
    }
    return tokens;
  }

  /** Applies Gateway API {@code RequestHeaderModifier}s: set, then add, then remove. */
  static void applyModifiers(HeaderMap headers, List<RouteFilter.HeaderModifier> modifiers) {
    for (RouteFilter.HeaderModifier modifier : modifiers) {
      for (RouteFilter.Header header : modifier.set()) {
        headers.put(new HttpString(header.name()), header.value());
      }
      for (RouteFilter.Header header : modifier.add()) {
        headers.add(new HttpString(header.name()), header.value());
      }
      for (String name : modifier.remove()) {
        headers.remove(new HttpString(name));
      }
    }
  }
}

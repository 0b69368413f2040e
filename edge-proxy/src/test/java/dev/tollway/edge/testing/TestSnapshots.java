package dev.tollway.edge.testing;

import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.snapshot.AiBackend;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Listener;
import dev.tollway.schemas.snapshot.Provider;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteFilter;
import dev.tollway.schemas.snapshot.RouteMatch;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Snapshots shaped like the tutorial's, pointing at local fakes. */
public final class TestSnapshots {

  public static final String GATEWAY = "default/agentgateway";
  public static final String PROVIDER_KEY = "sk-provider-secret-123";

  /** The routes of an AI policy that lets every client API through, by path as a policy names them. */
  public static final Map<String, String> EVERY_CLIENT_API = Map.of(
      "/v1/chat/completions", "Completions",
      "/v1/responses", "Responses",
      "/v1/messages", "Messages",
      "/v1/messages/count_tokens", "AnthropicTokenCount",
      "/v1/embeddings", "Embeddings",
      "/v1/models", "Models",
      ":generateContent", "GenerateContent",
      ":streamGenerateContent", "GenerateContent",
      ":countTokens", "GeminiCountTokens",
      "*", "Passthrough");

  private TestSnapshots() {}

  public static Listener http80() {
    return new Listener("http", "HTTP", 80, null, null);
  }

  /** An AI backend with one provider on 127.0.0.1:port and a sealed key. */
  public static Backend aiBackend(
      SnapshotCipher cipher, String name, Provider.ProviderType type, int port, String model,
      AiBackend.AiPolicy policy) {
    Provider provider = new Provider(
        name, type, model, "127.0.0.1", port, null, null, false, new TreeMap<>(),
        Provider.ProviderAuth.key(cipher.seal(GATEWAY, PROVIDER_KEY)));
    return Backend.ai(name, new AiBackend(List.of(new AiBackend.ProviderGroup(List.of(provider))), policy));
  }

  public static Backend aiBackend(SnapshotCipher cipher, String name, Provider.ProviderType type, int port, String model) {
    return aiBackend(cipher, name, type, port, model, AiBackend.AiPolicy.none());
  }

  /** A rule: PathPrefix {@code prefix}, rewritten to {@code /}, to one backend. */
  public static RouteEntry prefixRoute(String route, int rule, String prefix, String backend) {
    return new RouteEntry(
        route, rule, List.of("http"), List.of(),
        new RouteMatch(new RouteMatch.PathMatch(RouteMatch.PathMatch.Type.PathPrefix, prefix), List.of(), List.of(), null),
        List.of(RouteFilter.urlRewrite(new RouteFilter.UrlRewrite(
            null, new RouteFilter.PathModifier(RouteFilter.PathModifier.Type.ReplacePrefixMatch, "/")))),
        List.of(BackendRef.resolved(backend, 1)),
        null);
  }

  /** A catch-all rule to one backend, as the tutorial's 03. */
  public static RouteEntry catchAll(String route, String backend) {
    return new RouteEntry(route, 0, List.of("http"), List.of(), RouteMatch.any(), List.of(),
        List.of(BackendRef.resolved(backend, 1)), null);
  }

  public static GatewaySnapshot snapshot(List<RouteEntry> routes, Map<String, Backend> backends) {
    return GatewaySnapshot.of(GATEWAY, "agentgateway", List.of(http80()), routes, backends);
  }
}

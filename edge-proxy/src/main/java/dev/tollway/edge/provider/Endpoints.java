package dev.tollway.edge.provider;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.snapshot.Provider;

/**
 * Where a provider lives, after the snapshot's overrides: {@code host} (plain HTTP on port 80 unless
 * {@code tls} or a {@code port} says otherwise) replaces the default host (TLS on 443); {@code path}
 * replaces the whole path; {@code pathPrefix} replaces the default base such as {@code /v1}.
 */
public final class Endpoints {

  private Endpoints() {}

  /**
   * @param defaultHost the provider's own host, reached over TLS on 443
   * @param defaultBase the base path {@code pathPrefix} replaces, such as {@code /v1}
   * @param rest the rest of the path after the base, such as {@code /chat/completions}
   */
  public static UpstreamTarget target(Provider provider, String defaultHost, String defaultBase, String rest) {
    requireNonNull(provider, "provider");
    String path;
    if (provider.path() != null && !provider.path().isBlank()) {
      path = provider.path().startsWith("/") ? provider.path() : "/" + provider.path();
    } else {
      String base = provider.pathPrefix() != null ? stripTrailingSlash(provider.pathPrefix()) : defaultBase;
      if (!base.isEmpty() && !base.startsWith("/")) {
        base = "/" + base;
      }
      path = base + rest;
    }
    if (provider.host() == null || provider.host().isBlank()) {
      return new UpstreamTarget(defaultHost, provider.port() != null ? provider.port() : 443, true, path);
    }
    boolean tls = provider.tls();
    int port = provider.port() != null ? provider.port() : tls ? 443 : 80;
    return new UpstreamTarget(provider.host(), port, tls, path);
  }

  private static String stripTrailingSlash(String prefix) {
    return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  /**
   * Where another operation of a provider lives (embeddings, the model list, OpenAI's Responses API): as
   * {@link #target}, except that a {@code path} override — the chat path — is not taken whole: the
   * operation sits beside it ({@code /api/v1/chat/completions} gives {@code /api/v1/embeddings}); a
   * {@code path} of another shape gives the default base.
   *
   * @param chatRest the rest of the chat path, such as {@code /chat/completions}
   */
  public static UpstreamTarget beside(
      Provider provider, String defaultHost, String defaultBase, String chatRest, String rest) {
    requireNonNull(provider, "provider");
    UpstreamTarget target = target(provider, defaultHost, defaultBase, rest);
    String path = provider.path();
    if (path == null || path.isBlank()) {
      return target;
    }
    String chatPath = path.startsWith("/") ? path : "/" + path;
    int query = chatPath.indexOf('?');
    String bare = query < 0 ? chatPath : chatPath.substring(0, query);
    String base = bare.endsWith(chatRest) ? bare.substring(0, bare.length() - chatRest.length()) : defaultBase;
    return new UpstreamTarget(target.host(), target.port(), target.tls(), base + rest);
  }
}

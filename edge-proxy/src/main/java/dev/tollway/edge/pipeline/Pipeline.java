package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;

/** Assembles the request pipeline; the one place its order is written down. */
public final class Pipeline {

  private Pipeline() {}

  /**
   * The chain every request goes through:
   *
   * <pre>
   * guard → request id → usage → route → API key → quota → rate limit → backend
   *   backend ─┬─ ai:   body → chat API ─┬─ provider → chat upstream
   *            │                        └─ passthrough
   *            └─ host: body → host proxy
   * </pre>
   */
  public static HttpHandler build(PipelineContext context) {
    requireNonNull(context, "context");
    HttpHandler chat = new ProviderHandler(new ChatUpstreamHandler(context));
    HttpHandler ai =
        new BodyHandler(context.maxRequestBytes(), new ChatApiHandler(context, chat, new PassthroughHandler(context)));
    HttpHandler host = new BodyHandler(context.maxRequestBytes(), new HostProxyHandler(context));
    HttpHandler backend = new BackendHandler(context, ai, host);
    HttpHandler policies = new ApiKeyHandler(context, new QuotaHandler(context, new RateLimitHandler(context, backend)));
    HttpHandler routed = new RouteHandler(context, policies);
    return new GuardHandler(new RequestIdHandler(new UsageHandler(context, routed)));
  }
}

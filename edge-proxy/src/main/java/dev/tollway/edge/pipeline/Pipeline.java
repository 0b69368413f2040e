package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;

/** Assembles the request pipeline; the one place its order is written down. */
public final class Pipeline {

  private Pipeline() {}

  /**
   * The chain every request goes through. When a route matches on {@code x-gateway-model}, the body is read
   * (bounded) before routing so that the requested model can be matched; otherwise after the policies:
   *
   * <pre>
   * guard → request id → usage → likely API → [body → model header, when routes match on the model]
   *   → route → API key → quota → rate limit → backend → body (unless read) ─┬─ ai: client API ─┬─ chat → usage gate → provider → chat upstream (attempts)
   *                                                                          │                  ├─ usage gate → embeddings
   *                                                                          │                  ├─ usage gate → count tokens
   *                                                                          │                  ├─ models
   *                                                                          │                  └─ usage gate → passthrough
   *                                                                          └─ host: usage gate → host proxy
   * </pre>
   */
  public static HttpHandler build(PipelineContext context) {
    requireNonNull(context, "context");
    HttpHandler chat = new ChatApiHandler(
        context, new UsageGateHandler(context, new ProviderHandler(context, new ChatUpstreamHandler(context))));
    HttpHandler ai = new ClientApiHandler(new ClientApiHandler.Branches(
        chat,
        new UsageGateHandler(context, new EmbeddingsHandler(context)),
        new UsageGateHandler(context, new CountTokensHandler(context)),
        new ModelsHandler(context),
        new UsageGateHandler(context, new PassthroughHandler(context))));
    HttpHandler host = new UsageGateHandler(context, new HostProxyHandler(context));
    HttpHandler backend = new BackendHandler(context,
        new BodyHandler(context.maxRequestBytes(), ai), new BodyHandler(context.maxRequestBytes(), host));
    HttpHandler policies = new ApiKeyHandler(context, new QuotaHandler(context, new RateLimitHandler(context, backend)));
    HttpHandler routed = new RouteHandler(context, policies);
    HttpHandler modelRouting = new ModelRoutingHandler(context,
        new BodyHandler(context.maxRequestBytes(), new ModelHeaderHandler(context.limits(), routed)), routed);
    return new GuardHandler(new RequestIdHandler(new UsageHandler(context, new LikelyApiHandler(context, modelRouting))));
  }
}

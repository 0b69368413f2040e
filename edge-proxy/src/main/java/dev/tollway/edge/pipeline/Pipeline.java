package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;

/** Assembles the request pipeline; the one place its order is written down. */
public final class Pipeline {

  private Pipeline() {}

  /**
   * The chain every request goes through. The body is read (bounded) before routing, so that the requested
   * model can be matched as the {@code x-gateway-model} header:
   *
   * <pre>
   * guard → request id → usage → likely API → body → model header → route → backend ─┐
   *   ┌──────────────────────────────────────────────────────────────────────────────────┘
   *   ├─ ai: client API ─┬─ chat → provider → chat upstream
   *   │                  ├─ embeddings
   *   │                  ├─ count tokens
   *   │                  ├─ models
   *   │                  └─ passthrough
   *   └─ host: host proxy
   * </pre>
   */
  public static HttpHandler build(PipelineContext context) {
    requireNonNull(context, "context");
    HttpHandler chat = new ChatApiHandler(context, new ProviderHandler(new ChatUpstreamHandler(context)));
    HttpHandler ai = new ClientApiHandler(new ClientApiHandler.Branches(
        chat,
        new EmbeddingsHandler(context),
        new CountTokensHandler(context),
        new ModelsHandler(context),
        new PassthroughHandler(context)));
    HttpHandler host = new HostProxyHandler(context);
    HttpHandler routed = new RouteHandler(context, new BackendHandler(context, ai, host));
    HttpHandler bodied = new BodyHandler(context.maxRequestBytes(), new ModelHeaderHandler(routed));
    return new GuardHandler(new RequestIdHandler(new UsageHandler(context, new LikelyApiHandler(context, bodied))));
  }
}

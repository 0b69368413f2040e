package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.aipolicy.ModelResolution;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.health.ProviderSelector;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.edge.usage.RequestUsage;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Picks the provider of the first attempt (by health and latency, see {@link ProviderSelector}) and the model
 * (see {@link ModelResolution}: the provider's {@code model} replaces the request's unless the policy overrides
 * {@code model}; the backend's aliases then apply); no model at all is {@code INVALID_REQUEST}.
 */
final class ProviderHandler implements HttpHandler {

  private final PipelineContext context;
  private final HttpHandler next;

  ProviderHandler(PipelineContext context, HttpHandler next) {
    this.context = requireNonNull(context, "context");
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    ResolvedBackend.Ai backend = (ResolvedBackend.Ai) exchange.getAttachment(Attachments.BACKEND);
    RequestUsage usage = exchange.getAttachment(Attachments.USAGE);
    ResolvedProvider provider = pick(context, backend);
    Attachments.ProviderCall call = call(backend, provider, requestModel(exchange));
    usage.provider(provider.protocol().otelName());
    usage.providerModel(call.model());
    exchange.putAttachment(Attachments.PROVIDER_CALL, call);
    next.handleRequest(exchange);
  }

  /** The model of the chat request as the pipeline prepared it (policy applied), decoded or relayed as it is. */
  static @Nullable String requestModel(HttpServerExchange exchange) {
    ChatRequest request = exchange.getAttachment(Attachments.CHAT_REQUEST);
    if (request != null) {
      return request.model();
    }
    SameApiBody sameApi = exchange.getAttachment(Attachments.SAME_API_BODY);
    return sameApi == null ? null : sameApi.model();
  }

  /** The call of a request to a provider, with the model that provider gets. */
  static Attachments.ProviderCall call(ResolvedBackend.Ai backend, ResolvedProvider provider, @Nullable String requestModel) {
    String model = ModelResolution.resolve(backend.policy(), provider.provider().model(), requestModel);
    if (model == null) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST, "model: required (the backend sets none)");
    }
    return new Attachments.ProviderCall(provider, model);
  }

  /** The provider for a single-attempt call (embeddings, token counting, passthrough): by health and latency. */
  static ResolvedProvider pick(PipelineContext context, ResolvedBackend.Ai backend) {
    return context.selector().select(backend, Set.of(), context.random()).provider();
  }
}

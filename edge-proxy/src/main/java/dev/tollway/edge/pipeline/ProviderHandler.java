package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.aipolicy.ModelResolution;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.edge.usage.RequestUsage;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Picks the provider and the model (see {@link ModelResolution}: the provider's {@code model} replaces the
 * request's unless the policy overrides {@code model}; the backend's aliases then apply); no model at all is
 * {@code INVALID_REQUEST}.
 */
final class ProviderHandler implements HttpHandler {

  private final HttpHandler next;

  ProviderHandler(HttpHandler next) {
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    ResolvedBackend.Ai backend = (ResolvedBackend.Ai) exchange.getAttachment(Attachments.BACKEND);
    ChatRequest request = exchange.getAttachment(Attachments.CHAT_REQUEST);
    RequestUsage usage = exchange.getAttachment(Attachments.USAGE);
    ResolvedProvider provider = pick(backend);
    String model = ModelResolution.resolve(backend.policy(), provider.provider().model(), request.model());
    if (model == null) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST, "model: required (the backend sets none)");
    }
    usage.provider(provider.protocol().otelName());
    usage.providerModel(model);
    exchange.putAttachment(Attachments.PROVIDER_CALL, new Attachments.ProviderCall(provider, request.withModel(model)));
    next.handleRequest(exchange);
  }

  /**
   * The provider for this request: the first of the highest-priority group. This is the seam for health-
   * and latency-based choice and failover across groups (issue 6).
   */
  static ResolvedProvider pick(ResolvedBackend.Ai backend) {
    return backend.groups().get(0).get(0);
  }
}

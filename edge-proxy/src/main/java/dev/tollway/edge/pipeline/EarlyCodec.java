package dev.tollway.edge.pipeline;

import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.routing.WeightedBackend;
import io.undertow.server.HttpServerExchange;

/**
 * The client's API as the matched route tells it before the body is read — from the {@code routes} map of
 * the route's AI backend and the path, as {@code ChatApiHandler} decides it later — so that a request refused
 * early (401, 429) is answered in the caller's error shape. Routes to plain HTTP backends, and passthrough
 * routes, keep OpenAI's shape.
 */
final class EarlyCodec {

  private EarlyCodec() {}

  static void attach(HttpServerExchange exchange, PipelineContext context) {
    if (exchange.getAttachment(Attachments.CLIENT_CODEC) != null) {
      return;
    }
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    for (WeightedBackend weighted : route.route().backends()) {
      if (weighted.backend() instanceof ResolvedBackend.Ai ai) {
        String routeType = RouteTypes.resolve(ai.policy().routes(), route.path());
        try {
          exchange.putAttachment(Attachments.CLIENT_CODEC, ClientApis.codecFor(routeType, context.protocols()));
        } catch (GatewayException notAChatApi) {
          // Passthrough or an API without a codec: OpenAI's shape.
        }
        return;
      }
    }
  }
}

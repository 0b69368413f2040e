package dev.tollway.edge.pipeline;

import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.routing.WeightedBackend;
import io.undertow.server.HttpServerExchange;

/**
 * The client's API as the matched route tells it before its branch runs — from the {@code routes} map of the
 * route's AI backend and the path, as {@code ClientApiHandler} decides it later — so that a request refused
 * early (401, 429) is answered in the caller's error shape. It replaces the guess made from the path alone
 * ({@link LikelyApiHandler}); routes to plain HTTP backends, and passthrough routes, keep that guess (OpenAI's
 * shape unless the path looks like another API).
 */
final class EarlyCodec {

  private EarlyCodec() {}

  static void attach(HttpServerExchange exchange, PipelineContext context) {
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    for (WeightedBackend weighted : route.route().backends()) {
      if (weighted.backend() instanceof ResolvedBackend.Ai ai) {
        ChatFormat format = ClientApis.errorFormat(RouteTypes.resolve(ai.policy().routes(), route.path()));
        if (format != null) {
          context.protocols().clientCodec(format)
              .ifPresent(codec -> exchange.putAttachment(Attachments.CLIENT_CODEC, codec));
        }
        return;
      }
    }
  }
}

package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.RouteDecision;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Finds the client's API on an AI backend from the backend's {@code spec.policies.ai.routes} map and the
 * path (longest suffix first, {@code *} last, {@code Completions} without a map) and sends the request down
 * that API's branch: chat APIs, embeddings, token counting, the model list, or passthrough. Route types
 * Tollway does not serve ({@code Realtime}, {@code Rerank}) are {@code NOT_IMPLEMENTED}.
 */
final class ClientApiHandler implements HttpHandler {

  /** The branches, one per kind of client API. */
  record Branches(HttpHandler chat, HttpHandler embeddings, HttpHandler countTokens, HttpHandler models,
      HttpHandler passthrough) {
    Branches {
      requireNonNull(chat, "chat");
      requireNonNull(embeddings, "embeddings");
      requireNonNull(countTokens, "countTokens");
      requireNonNull(models, "models");
      requireNonNull(passthrough, "passthrough");
    }
  }

  private final Branches branches;

  ClientApiHandler(Branches branches) {
    this.branches = requireNonNull(branches, "branches");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    ResolvedBackend.Ai backend = (ResolvedBackend.Ai) exchange.getAttachment(Attachments.BACKEND);
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    String routeType = RouteTypes.resolve(backend.policy().routes(), route.path());
    exchange.putAttachment(Attachments.ROUTE_TYPE, routeType);
    HttpHandler branch = switch (routeType) {
      case RouteTypes.COMPLETIONS, RouteTypes.MESSAGES, RouteTypes.RESPONSES, RouteTypes.GENERATE_CONTENT ->
          branches.chat();
      case RouteTypes.EMBEDDINGS -> branches.embeddings();
      case RouteTypes.ANTHROPIC_TOKEN_COUNT, RouteTypes.GEMINI_COUNT_TOKENS -> branches.countTokens();
      case RouteTypes.MODELS -> branches.models();
      case RouteTypes.PASSTHROUGH, RouteTypes.DETECT -> branches.passthrough();
      default -> throw new GatewayException(
          ErrorReason.NOT_IMPLEMENTED, "route type " + routeType + " is not served by Tollway");
    };
    branch.handleRequest(exchange);
  }
}

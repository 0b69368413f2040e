package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.usage.RequestUsage;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Finds the client's API from the backend's {@code routes} map and the path, then parses and decodes the
 * body with that API's codec ({@code INVALID_REQUEST} when it is not JSON or not a valid request).
 * {@code Passthrough} goes down its own branch untouched; other route types are {@code NOT_IMPLEMENTED}.
 */
final class ChatApiHandler implements HttpHandler {

  private final PipelineContext context;
  private final HttpHandler next;
  private final HttpHandler passthrough;

  ChatApiHandler(PipelineContext context, HttpHandler next, HttpHandler passthrough) {
    this.context = requireNonNull(context, "context");
    this.next = requireNonNull(next, "next");
    this.passthrough = requireNonNull(passthrough, "passthrough");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    ResolvedBackend.Ai backend = (ResolvedBackend.Ai) exchange.getAttachment(Attachments.BACKEND);
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    RequestUsage usage = exchange.getAttachment(Attachments.USAGE);
    String routeType = RouteTypes.resolve(backend.policy().routes(), route.path());
    if (routeType.equals(RouteTypes.PASSTHROUGH)) {
      usage.clientApi("passthrough");
      passthrough.handleRequest(exchange);
      return;
    }
    ChatCodec codec = ClientApis.codecFor(routeType, context.protocols());
    exchange.putAttachment(Attachments.CLIENT_CODEC, codec);
    usage.clientApi(ClientApis.usageName(codec.format()));
    usage.operation("chat");
    JsonNode body = context.limits().parseObject(exchange.getAttachment(Attachments.BODY));
    ChatRequest request = codec.decodeRequest(body);
    usage.requestModel(request.model());
    usage.streamed(request.stream());
    exchange.putAttachment(Attachments.CHAT_REQUEST, request);
    next.handleRequest(exchange);
  }
}

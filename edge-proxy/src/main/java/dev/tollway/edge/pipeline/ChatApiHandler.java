package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.aipolicy.BodyPolicies;
import dev.tollway.edge.aipolicy.PromptEnrichment;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.usage.RequestUsage;
import dev.tollway.schemas.snapshot.AiBackend.AiPolicy;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.jspecify.annotations.Nullable;

/**
 * A chat client API (OpenAI Chat Completions or Responses, Anthropic Messages, Gemini generateContent): the
 * body, in the client's API, gets the backend's AI policy — overrides, then defaults, then the prompt's
 * prepend / append messages — and is decoded with that API's codec ({@code INVALID_REQUEST} in the API's
 * error shape when it is not a valid request). A Gemini client's model and streaming come from its path.
 */
final class ChatApiHandler implements HttpHandler {

  private final PipelineContext context;
  private final HttpHandler next;

  ChatApiHandler(PipelineContext context, HttpHandler next) {
    this.context = requireNonNull(context, "context");
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    ResolvedBackend.Ai backend = (ResolvedBackend.Ai) exchange.getAttachment(Attachments.BACKEND);
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    RequestUsage usage = exchange.getAttachment(Attachments.USAGE);
    ChatCodec codec = ClientApis.codecFor(exchange.getAttachment(Attachments.ROUTE_TYPE), context.protocols());
    exchange.putAttachment(Attachments.CLIENT_CODEC, codec);
    usage.clientApi(ClientApis.usageName(codec.format()));
    usage.operation("chat");
    ObjectNode body = ClientBodies.json(exchange, context.limits());
    usage.requestModel(requestedModel(codec.format(), body, route.path()));
    AiPolicy policy = backend.policy();
    BodyPolicies.apply(policy, body);
    PromptEnrichment.apply(codec.format(), body, policy.prepend(), policy.append());
    ChatRequest request = ClientApis.decode(codec, body, route.path(), exchange.getQueryParameters());
    usage.streamed(request.stream());
    exchange.putAttachment(Attachments.CHAT_REQUEST, request);
    next.handleRequest(exchange);
  }

  /** The model the client asked for, before the policy: the body's, or a Gemini path's. */
  static @Nullable String requestedModel(ChatFormat format, ObjectNode body, String path) {
    if (format == ChatFormat.GEMINI_GENERATE_CONTENT) {
      GeminiPath gemini = GeminiPath.parse(path);
      return gemini == null ? null : gemini.model();
    }
    JsonNode model = body.get("model");
    return model != null && model.isTextual() ? model.textValue() : null;
  }
}

package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.aipolicy.BodyPolicies;
import dev.tollway.edge.aipolicy.PromptEnrichment;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.usage.RequestUsage;
import dev.tollway.schemas.snapshot.AiBackend.AiPolicy;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A chat client API (OpenAI Chat Completions or Responses, Anthropic Messages, Gemini generateContent): the
 * body, in the client's API, gets the backend's AI policy — overrides, then defaults, then the prompt's
 * prepend / append messages — and is decoded with that API's codec ({@code INVALID_REQUEST} in the API's
 * error shape when it is not a valid request). A Gemini client's model and streaming come from its path.
 *
 * <p>An OpenAI Chat Completions body that nothing will change is not decoded: when the policy has nothing to
 * apply, every provider of the backend takes OpenAI chat bodies as they are (but for the model) and the body
 * is a {@link SameApiBody} (not streamed, a string model, messages), it goes on as the client's bytes; it is
 * decoded only if an attempt needs it (another model: an alias or the provider's own).
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
    SameApiBody sameApi = sameApiBody(exchange, backend, codec);
    if (sameApi != null) {
      usage.requestModel(sameApi.model());
      usage.streamed(false);
      exchange.putAttachment(Attachments.SAME_API_BODY, sameApi);
      next.handleRequest(exchange);
      return;
    }
    ObjectNode body = ClientBodies.json(exchange, context.limits());
    usage.requestModel(requestedModel(codec.format(), body, route.path()));
    ChatRequest request = decode(exchange, backend.policy(), codec, body, route.path());
    usage.streamed(request.stream());
    exchange.putAttachment(Attachments.CHAT_REQUEST, request);
    next.handleRequest(exchange);
  }

  /**
   * The client's request decoded, for an attempt that needs it when the pipeline relayed the body as it is
   * (it was not decoded then: see the class comment); the policy had nothing to apply.
   *
   * @throws GatewayException {@code INVALID_REQUEST} as when it is decoded at once
   */
  static ChatRequest decodeLater(HttpServerExchange exchange, PipelineContext context) {
    ResolvedBackend.Ai backend = (ResolvedBackend.Ai) exchange.getAttachment(Attachments.BACKEND);
    ChatCodec codec = exchange.getAttachment(Attachments.CLIENT_CODEC);
    String path = exchange.getAttachment(Attachments.ROUTE).path();
    return decode(exchange, backend.policy(), codec, ClientBodies.json(exchange, context.limits()), path);
  }

  private static ChatRequest decode(
      HttpServerExchange exchange, AiPolicy policy, ChatCodec codec, ObjectNode body, String path) {
    BodyPolicies.apply(policy, body);
    PromptEnrichment.apply(codec.format(), body, policy.prepend(), policy.append());
    return ClientApis.decode(codec, body, path, exchange.getQueryParameters());
  }

  /** The body as a {@link SameApiBody}, when it may be relayed as it is (see the class comment); else null. */
  private @Nullable SameApiBody sameApiBody(HttpServerExchange exchange, ResolvedBackend.Ai backend, ChatCodec codec) {
    if (codec.format() != ChatFormat.OPENAI_CHAT || exchange.getAttachment(Attachments.BODY_JSON) != null) {
      return null; // another API, or the body was parsed before routing (a route matches on the model)
    }
    AiPolicy policy = backend.policy();
    if (!policy.overrides().isEmpty() || !policy.defaults().isEmpty()
        || !policy.prepend().isEmpty() || !policy.append().isEmpty()) {
      return null;
    }
    for (List<ResolvedProvider> group : backend.groups()) {
      for (ResolvedProvider provider : group) {
        ChatCodec providerCodec = provider.protocol().chatCodec(codec.format());
        if (providerCodec.format() != codec.format() || !providerCodec.keepsOwnFormatButModel()) {
          return null;
        }
      }
    }
    byte[] body = exchange.getAttachment(Attachments.BODY);
    return body == null ? null : SameApiBody.scan(body, context.limits());
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

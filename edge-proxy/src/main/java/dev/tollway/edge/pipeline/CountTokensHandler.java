package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.aipolicy.BodyPolicies;
import dev.tollway.edge.aipolicy.ModelResolution;
import dev.tollway.edge.aipolicy.PromptEnrichment;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.TokenEstimate;
import dev.tollway.edge.provider.TokenCountApi;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.anthropic.AnthropicTokenCount;
import dev.tollway.edge.provider.gemini.GeminiChatCodec;
import dev.tollway.edge.provider.gemini.GeminiTokenCount;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.usage.RequestUsage;
import dev.tollway.schemas.snapshot.AiBackend.AiPolicy;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Token counting: Anthropic's {@code /v1/messages/count_tokens} ({@code {"input_tokens": N}}) and Gemini's
 * {@code :countTokens} ({@code {"totalTokens": N}}). The body gets the policy (prompt messages included, as
 * they will be sent) and the model is resolved as for chat; then the provider's own counting API answers
 * when it has one (Anthropic, Gemini, Vertex AI, Bedrock), else the gateway estimates (OpenAI, Azure OpenAI,
 * OpenAI-compatible servers) — marked with {@code x-tollway-token-count: estimated} and
 * {@code "estimated": true} in the body; a provider's count says {@code x-tollway-token-count: provider}.
 * Counting spends no tokens, so the usage event carries none.
 */
final class CountTokensHandler implements HttpHandler {

  /** {@code provider} or {@code estimated}: where the count comes from. */
  static final HttpString X_TOLLWAY_TOKEN_COUNT = new HttpString("x-tollway-token-count");

  private final PipelineContext context;

  CountTokensHandler(PipelineContext context) {
    this.context = requireNonNull(context, "context");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    ResolvedBackend.Ai backend = (ResolvedBackend.Ai) exchange.getAttachment(Attachments.BACKEND);
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    RequestUsage usage = exchange.getAttachment(Attachments.USAGE);
    boolean gemini = RouteTypes.GEMINI_COUNT_TOKENS.equals(exchange.getAttachment(Attachments.ROUTE_TYPE));
    ChatFormat format = gemini ? ChatFormat.GEMINI_GENERATE_CONTENT : ChatFormat.ANTHROPIC_MESSAGES;
    ChatCodec codec = ClientApis.codecFor(format, context.protocols());
    exchange.putAttachment(Attachments.CLIENT_CODEC, codec);
    usage.clientApi(gemini ? "gemini.count_tokens" : "anthropic.count_tokens");
    usage.operation("count_tokens");
    ObjectNode body = ClientBodies.json(exchange, context.limits());
    usage.requestModel(ChatApiHandler.requestedModel(format, body, route.path()));
    AiPolicy policy = backend.policy();
    ObjectNode generate = body;
    if (gemini && body.get("generateContentRequest") instanceof ObjectNode inner) {
      generate = inner; // the request to count: the policy applies to it as to a generate request
    }
    BodyPolicies.apply(policy, generate);
    PromptEnrichment.apply(format, generate, policy.prepend(), policy.append());
    ChatRequest request = decode(codec, body, route.path());
    ResolvedProvider provider = ProviderHandler.pick(context, backend);
    String model = ModelResolution.resolve(policy, provider.provider().model(), request.model());
    if (model == null) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST, "model: required (the backend sets none)");
    }
    usage.provider(provider.protocol().otelName());
    usage.providerModel(model);
    ChatRequest resolved = request.withModel(model);
    TokenCountApi api = provider.protocol().tokenCount().orElse(null);
    if (api == null) {
      respond(exchange, gemini, TokenEstimate.inputTokens(resolved), true);
      return;
    }
    UpstreamTarget target = api.target(provider.provider(), model);
    byte[] out = api.encodeRequest(resolved).toString().getBytes(StandardCharsets.UTF_8);
    usage.endpoint(target.authority());
    usage.upstreamCalled();
    exchange.dispatch(SameThreadExecutor.INSTANCE, () ->
        UpstreamJson.call(exchange, context, provider, target, "POST", out).whenComplete((answer, failure) -> {
          if (failure != null) {
            ErrorResponder.send(exchange, UpstreamJson.unwrap(failure));
            return;
          }
          try {
            JsonNode json = UpstreamErrors.parseOrNull(answer.body());
            if (json == null || !json.isObject()) {
              throw new GatewayException(ErrorReason.UPSTREAM_ERROR, "the provider's answer is not JSON");
            }
            respond(exchange, gemini, api.decodeResponse(json), false);
          } catch (RuntimeException e) {
            ErrorResponder.send(exchange, e);
          }
        }));
  }

  private static ChatRequest decode(ChatCodec codec, ObjectNode body, String path) {
    if (codec instanceof GeminiChatCodec gemini) {
      return gemini.decodeCountTokensRequest(body, GeminiPath.require(path, "countTokens").model());
    }
    if (codec instanceof AnthropicChatCodec anthropic) {
      return anthropic.decodeCountTokensRequest(body);
    }
    throw new GatewayException(ErrorReason.NOT_IMPLEMENTED, "token counting is not available in this build");
  }

  private static void respond(HttpServerExchange exchange, boolean gemini, long tokens, boolean estimated) {
    ObjectNode answer = gemini ? GeminiTokenCount.encodeCount(tokens) : AnthropicTokenCount.encodeCount(tokens);
    if (estimated) {
      answer.put("estimated", true);
    }
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseHeaders().put(X_TOLLWAY_TOKEN_COUNT, estimated ? "estimated" : "provider");
    exchange.getResponseSender().send(ByteBuffer.wrap(answer.toString().getBytes(StandardCharsets.UTF_8)));
  }
}

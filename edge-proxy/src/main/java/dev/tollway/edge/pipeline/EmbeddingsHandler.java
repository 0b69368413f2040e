package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.aipolicy.BodyPolicies;
import dev.tollway.edge.aipolicy.ModelResolution;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.EmbeddingsRequest;
import dev.tollway.edge.llm.EmbeddingsResponse;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.llm.TokenEstimate;
import dev.tollway.edge.provider.EmbeddingsApi;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.openai.OpenAiEmbeddings;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.edge.usage.RequestUsage;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI's {@code /v1/embeddings} on an AI backend: the body gets the policy's overrides and defaults, the
 * model is resolved as for chat, and the request goes to the provider's embeddings API in its own format
 * (OpenAI and Azure as they are, Gemini's {@code batchEmbedContents}, Vertex AI's {@code predict}); the
 * answer comes back in OpenAI's shape ({@code float} or {@code base64} vectors as the client asked). A
 * provider without an embeddings API Tollway can call (Anthropic, Bedrock) is {@code NOT_IMPLEMENTED}. When
 * the provider reports no token counts (Gemini), they are estimated and the usage event says so.
 */
final class EmbeddingsHandler implements HttpHandler {

  private final PipelineContext context;

  EmbeddingsHandler(PipelineContext context) {
    this.context = requireNonNull(context, "context");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    ResolvedBackend.Ai backend = (ResolvedBackend.Ai) exchange.getAttachment(Attachments.BACKEND);
    RequestUsage usage = exchange.getAttachment(Attachments.USAGE);
    exchange.putAttachment(Attachments.CLIENT_CODEC, ClientApis.codecFor(ChatFormat.OPENAI_CHAT, context.protocols()));
    usage.clientApi("openai.embeddings");
    usage.operation("embeddings");
    ObjectNode body = ClientBodies.json(exchange, context.limits());
    JsonNode requested = body.get("model");
    usage.requestModel(requested != null && requested.isTextual() ? requested.textValue() : null);
    BodyPolicies.apply(backend.policy(), body);
    EmbeddingsRequest request = OpenAiEmbeddings.decodeRequest(body);
    ResolvedProvider provider = ProviderHandler.pick(context, backend);
    String model = ModelResolution.resolve(backend.policy(), provider.provider().model(), request.model());
    if (model == null) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST, "model: required (the backend sets none)");
    }
    usage.provider(provider.protocol().otelName());
    usage.providerModel(model);
    EmbeddingsApi api = provider.protocol().embeddings().orElseThrow(() -> new GatewayException(
        ErrorReason.NOT_IMPLEMENTED,
        "embeddings: provider type " + provider.provider().type() + " has no embeddings API Tollway can call"));
    UpstreamTarget target = api.target(provider.provider(), model);
    EmbeddingsRequest resolved = request.withModel(model);
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
            respond(exchange, usage, api, resolved, answer);
          } catch (RuntimeException e) {
            ErrorResponder.send(exchange, e);
          }
        }));
  }

  private void respond(
      HttpServerExchange exchange, RequestUsage usage, EmbeddingsApi api, EmbeddingsRequest request,
      UpstreamJson.Answer answer) {
    JsonNode json = UpstreamErrors.parseOrNull(answer.body());
    if (json == null || !json.isObject()) {
      throw new GatewayException(ErrorReason.UPSTREAM_ERROR, "the provider's answer is not JSON");
    }
    EmbeddingsResponse response = api.decodeResponse(json, request);
    usage.firstToken(context.clock().instant());
    usage.responseModel(response.model());
    byte[] bytes;
    if (response.usage() != null) {
      usage.tokens(response.usage());
    } else {
      TokenCounts estimate = new TokenCounts(TokenEstimate.textTokens(request.texts()), 0, 0, 0, 0);
      usage.estimatedTokens(estimate);
      response = new EmbeddingsResponse(response.model(), response.vectors(), estimate, response.format(),
          response.original());
    }
    bytes = api.format() == request.format()
        ? answer.body()
        : OpenAiEmbeddings.encodeResponse(response, request).toString().getBytes(StandardCharsets.UTF_8);
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
  }
}

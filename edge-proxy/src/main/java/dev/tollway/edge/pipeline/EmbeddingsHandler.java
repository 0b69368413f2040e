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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * OpenAI's {@code /v1/embeddings} on an AI backend: the body gets the policy's overrides and defaults, the
 * model is resolved as for chat, and the request goes to the provider's embeddings API in its own format
 * (OpenAI and Azure as they are, Gemini's {@code batchEmbedContents}, Vertex AI's {@code predict}, Bedrock's
 * {@code InvokeModel} of Titan or Cohere); the answer comes back in OpenAI's shape ({@code float} or
 * {@code base64} vectors as the client asked). A provider that takes fewer inputs per call than the client
 * sent (Titan: one) gets several calls, at most {@link #PARALLEL_CALLS} at a time, each authenticated alone,
 * whose answers are joined in input order; the first failure answers the request. A provider without an
 * embeddings API Tollway can call (Anthropic) is {@code NOT_IMPLEMENTED}. When the provider reports no token
 * counts (Gemini, Cohere), they are estimated and the usage event says so.
 */
final class EmbeddingsHandler implements HttpHandler {

  /** The most calls of one request in flight at once, when a request is split. */
  static final int PARALLEL_CALLS = 8;

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
    List<EmbeddingsRequest> parts = split(resolved, api.maxInputsPerCall(model));
    List<byte[]> bodies = new ArrayList<>(parts.size());
    for (EmbeddingsRequest part : parts) {
      bodies.add(api.encodeRequest(part).toString().getBytes(StandardCharsets.UTF_8));
    }
    usage.endpoint(target.authority());
    usage.upstreamCalled();
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
      CompletableFuture<List<UpstreamJson.Answer>> answers = FanOut.run(parts.size(), PARALLEL_CALLS,
          i -> UpstreamJson.call(exchange, context, provider, target, "POST", bodies.get(i)));
      answers.whenComplete((all, failure) -> {
        if (failure != null) {
          ErrorResponder.send(exchange, UpstreamJson.unwrap(failure));
          return;
        }
        try {
          respond(exchange, usage, api, resolved, parts, all);
        } catch (RuntimeException e) {
          ErrorResponder.send(exchange, e);
        }
      });
    });
  }

  /** The request as calls of at most {@code perCall} inputs each (token input is never split). */
  static List<EmbeddingsRequest> split(EmbeddingsRequest request, int perCall) {
    int size = request.texts().size();
    if (request.tokenInput() || size <= perCall) {
      return List.of(request);
    }
    int step = Math.max(1, perCall);
    List<EmbeddingsRequest> parts = new ArrayList<>();
    for (int from = 0; from < size; from += step) {
      parts.add(request.slice(from, Math.min(size, from + step)));
    }
    return parts;
  }

  private void respond(
      HttpServerExchange exchange, RequestUsage usage, EmbeddingsApi api, EmbeddingsRequest request,
      List<EmbeddingsRequest> parts, List<UpstreamJson.Answer> answers) {
    List<EmbeddingsResponse> decoded = new ArrayList<>(answers.size());
    for (int i = 0; i < answers.size(); i++) {
      JsonNode json = UpstreamErrors.parseOrNull(answers.get(i).body());
      if (json == null || !json.isObject()) {
        throw new GatewayException(ErrorReason.UPSTREAM_ERROR, "the provider's answer is not JSON");
      }
      decoded.add(api.decodeResponse(json, parts.get(i)));
    }
    EmbeddingsResponse response = EmbeddingsResponse.joined(decoded);
    usage.firstToken(context.clock().instant());
    usage.responseModel(response.model());
    if (response.usage() != null) {
      usage.tokens(response.usage());
    } else {
      TokenCounts estimate = new TokenCounts(TokenEstimate.textTokens(request.texts()), 0, 0, 0, 0);
      usage.estimatedTokens(estimate);
      response = new EmbeddingsResponse(response.model(), response.vectors(), estimate, response.format(),
          response.original());
    }
    byte[] bytes = answers.size() == 1 && api.format() == request.format()
        ? answers.get(0).body()
        : OpenAiEmbeddings.encodeResponse(response, request).toString().getBytes(StandardCharsets.UTF_8);
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
  }
}

package dev.tollway.edge.provider.vertexai;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.llm.StreamEncoder;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.gemini.GeminiChatCodec;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Vertex AI's publisher models, provider side only, over the Gemini and Anthropic codecs. A request for a
 * Gemini model is the Gemini codec's {@code generateContent} body; one for a Claude model is the Anthropic
 * codec's Messages body without {@code model} (it is in the path) and with
 * {@code "anthropic_version": "vertex-2023-10-16"}. Answers are recognised by their shape ({@code candidates}
 * / {@code usageMetadata} for Gemini, a {@code message} with {@code content} for Anthropic) and decode to the
 * format they are in, so a client of that same format gets the provider's answer unchanged. Pure and
 * thread-safe.
 */
public final class VertexChatCodec implements ChatCodec {

  /** The {@code anthropic_version} Vertex AI requires in a Claude request body. */
  public static final String ANTHROPIC_VERSION = "vertex-2023-10-16";

  private final GeminiChatCodec gemini;
  private final AnthropicChatCodec anthropic;

  public VertexChatCodec(GeminiChatCodec gemini, AnthropicChatCodec anthropic) {
    this.gemini = requireNonNull(gemini, "gemini");
    this.anthropic = requireNonNull(anthropic, "anthropic");
  }

  @Override
  public ChatFormat format() {
    return ChatFormat.VERTEX_AI;
  }

  // ---- client side: not a client API ---------------------------------------------------------------------

  /** @throws GatewayException {@code NOT_IMPLEMENTED}: clients speak Gemini or Anthropic, not "Vertex" */
  @Override
  public ChatRequest decodeRequest(JsonNode body) {
    throw notAClientApi();
  }

  /** @throws GatewayException {@code NOT_IMPLEMENTED}: clients speak Gemini or Anthropic, not "Vertex" */
  @Override
  public ObjectNode encodeResponse(ChatResponse response, ChatRequest request) {
    throw notAClientApi();
  }

  /** @throws GatewayException {@code NOT_IMPLEMENTED}: clients speak Gemini or Anthropic, not "Vertex" */
  @Override
  public StreamEncoder streamEncoder(ChatRequest request) {
    throw notAClientApi();
  }

  /** @throws GatewayException {@code NOT_IMPLEMENTED}: clients speak Gemini or Anthropic, not "Vertex" */
  @Override
  public ObjectNode encodeError(GatewayException error) {
    throw notAClientApi();
  }

  // ---- provider side -------------------------------------------------------------------------------------

  /** @throws GatewayException {@code INVALID_REQUEST} without a model or for another publisher's model */
  @Override
  public ObjectNode encodeRequest(ChatRequest request) {
    requireNonNull(request, "request");
    if (!VertexModel.of(request.model()).isClaude()) {
      return gemini.encodeRequest(request);
    }
    ObjectNode body = anthropic.encodeRequest(request);
    body.remove("model");
    body.put("anthropic_version", ANTHROPIC_VERSION);
    return body;
  }

  @Override
  public ChatResponse decodeResponse(JsonNode body) {
    requireNonNull(body, "body");
    if (body.has("candidates") || body.has("usageMetadata") || body.has("promptFeedback")) {
      return gemini.decodeResponse(body);
    }
    if (body.path("content").isArray()) {
      return anthropic.decodeResponse(body);
    }
    throw UpstreamErrors.malformed("vertexai", "a body that is neither a Gemini nor an Anthropic answer");
  }

  @Override
  public StreamDecoder streamDecoder() {
    return new VertexStreamDecoder(gemini::streamDecoder, anthropic::streamDecoder);
  }

  @Override
  public GatewayException decodeError(int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
    return VertexErrors.decode(status, body, retryAfter);
  }

  private static GatewayException notAClientApi() {
    return new GatewayException(
        ErrorReason.NOT_IMPLEMENTED,
        "Vertex AI is a provider API only; clients speak Gemini or Anthropic Messages to Tollway");
  }
}

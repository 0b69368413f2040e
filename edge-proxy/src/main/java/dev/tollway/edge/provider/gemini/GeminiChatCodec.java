package dev.tollway.edge.provider.gemini;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.llm.StreamEncoder;
import dev.tollway.edge.provider.wire.IdSource;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Gemini's native {@code generateContent} wire format, client and provider side. */
public final class GeminiChatCodec implements ChatCodec {

  private final IdSource ids;
  private final GeminiResponses responses;
  private final GeminiRequestDecoder requests;

  /** A codec with random ids. */
  public GeminiChatCodec() {
    this(IdSource.random());
  }

  /** @param ids makes the function call and response ids Gemini does not give */
  public GeminiChatCodec(IdSource ids) {
    this.ids = requireNonNull(ids, "ids");
    this.responses = new GeminiResponses(ids);
    this.requests = new GeminiRequestDecoder(ids);
  }

  @Override
  public ChatFormat format() {
    return ChatFormat.GEMINI_GENERATE_CONTENT;
  }

  /**
   * Decodes a body without its path: no model, not streamed. Gemini clients put both in the path; use
   * {@link #decodeRequest(JsonNode, String, boolean)}.
   */
  @Override
  public ChatRequest decodeRequest(JsonNode body) {
    return requests.decode(body, null, false);
  }

  /**
   * Decodes a client's request with what its path says.
   *
   * @param model the model of {@code /v1beta/models/{model}:...}, if any
   * @param stream whether the method is {@code streamGenerateContent}
   */
  public ChatRequest decodeRequest(JsonNode body, @Nullable String model, boolean stream) {
    return requests.decode(body, model, stream);
  }

  /**
   * Decodes a client's {@code :countTokens} body: {@code {"contents": [...]}} or
   * {@code {"generateContentRequest": {...}}} (which may carry the system instruction and tools). The
   * request's original body is the generate request, as {@link #encodeRequest} would send it.
   *
   * @param model the model of the path
   */
  public ChatRequest decodeCountTokensRequest(JsonNode body, @Nullable String model) {
    JsonNode inner = body.get("generateContentRequest");
    if (inner == null) {
      inner = body.get("generate_content_request");
    }
    if (inner != null && !inner.isNull()) {
      if (!inner.isObject()) {
        throw dev.tollway.edge.provider.wire.Fields.invalid("generateContentRequest", "expected an object");
      }
      ObjectNode request = ((ObjectNode) inner).deepCopy();
      request.remove("model");
      return requests.decode(request, model, false);
    }
    return requests.decode(body, model, false);
  }

  @Override
  public ObjectNode encodeResponse(ChatResponse response, ChatRequest request) {
    return responses.encode(requireNonNull(response, "response"), requireNonNull(request, "request"));
  }

  @Override
  public StreamEncoder streamEncoder(ChatRequest request) {
    return new GeminiStreamEncoder(requireNonNull(request, "request"), ids);
  }

  @Override
  public ObjectNode encodeError(GatewayException error) {
    return GeminiErrors.encode(requireNonNull(error, "error"));
  }

  @Override
  public ObjectNode encodeRequest(ChatRequest request) {
    return GeminiRequestEncoder.encode(requireNonNull(request, "request"));
  }

  @Override
  public ChatResponse decodeResponse(JsonNode body) {
    return responses.decode(requireNonNull(body, "body"));
  }

  @Override
  public StreamDecoder streamDecoder() {
    return new GeminiStreamDecoder(ids);
  }

  @Override
  public GatewayException decodeError(int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
    return GeminiErrors.decode(status, body, retryAfter);
  }
}

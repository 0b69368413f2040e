package dev.tollway.edge.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.GatewayException;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One chat wire format, both as the API a client speaks and as the API a provider speaks. Implementations
 * are pure and thread-safe.
 */
public interface ChatCodec {

  ChatFormat format();

  // ---- client side -------------------------------------------------------------------------------------

  /**
   * Decodes a client's request body.
   *
   * @throws GatewayException {@code INVALID_REQUEST} naming the field, in this API's terms, when the body is
   *     not a valid request
   */
  ChatRequest decodeRequest(JsonNode body);

  /** Encodes an answer for a client of this API. */
  ObjectNode encodeResponse(ChatResponse response, ChatRequest request);

  /** A stream encoder for one streamed answer to a client of this API. */
  StreamEncoder streamEncoder(ChatRequest request);

  /** The error body of this API for a failure. */
  ObjectNode encodeError(GatewayException error);

  /**
   * Fails when a request decoded by this codec uses what only a provider of this same API can carry (a
   * stored conversation, a hosted tool), so that it is refused rather than silently cut when it is
   * translated for another provider. Nothing to check by default.
   *
   * @throws GatewayException {@code INVALID_REQUEST} naming the field
   */
  default void checkTranslatable(ChatRequest request) {}

  // ---- provider side -----------------------------------------------------------------------------------

  /**
   * Encodes a request for a provider of this API. When the request was decoded from this same format, the
   * client's original body is kept with only the fields the gateway changes (model, streaming usage,
   * required defaults) patched, so no field is lost.
   */
  ObjectNode encodeRequest(ChatRequest request);

  /**
   * Whether {@link #encodeRequest} of a request decoded from this codec's own format, not streamed, changes
   * nothing but {@code model}: then a client body of this format whose model is already the one to send can go
   * to the provider as the client's bytes, without being decoded and encoded. False by default.
   */
  default boolean keepsOwnFormatButModel() {
    return false;
  }

  /**
   * Decodes a provider's (non-streamed) answer.
   *
   * @throws GatewayException {@code UPSTREAM_ERROR} when the body is not an answer of this API
   */
  ChatResponse decodeResponse(JsonNode body);

  /** A stream decoder for one streamed answer of a provider of this API. */
  StreamDecoder streamDecoder();

  /**
   * Turns a provider's error answer (status 400 or more) into a gateway error carrying the provider's
   * message, the right reason ({@code UPSTREAM_RATE_LIMITED} for 429, ...) and status.
   *
   * @param body the error body, or null when the provider sent none or no JSON
   * @param retryAfter the provider's {@code Retry-After}, if it sent one
   */
  GatewayException decodeError(int status, @Nullable JsonNode body, @Nullable Duration retryAfter);

  /**
   * As {@link #decodeError(int, JsonNode, Duration)}, with the answer's headers at hand for a provider that
   * names the error in a header (Bedrock's {@code x-amzn-errortype}).
   *
   * @param header the value of a response header by name, or null when absent
   */
  default GatewayException decodeError(
      int status, @Nullable JsonNode body, @Nullable Duration retryAfter, Function<String, @Nullable String> header) {
    return decodeError(status, body, retryAfter);
  }
}

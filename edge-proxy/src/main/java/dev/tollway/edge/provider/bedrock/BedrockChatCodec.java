package dev.tollway.edge.provider.bedrock;

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
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Bedrock's Converse wire format, provider side only: Tollway does not serve Converse to clients, so the
 * client-side methods fail with {@code NOT_IMPLEMENTED}. Pure and thread-safe.
 */
public final class BedrockChatCodec implements ChatCodec {

  @Override
  public ChatFormat format() {
    return ChatFormat.BEDROCK_CONVERSE;
  }

  // ---- client side: not a client API ---------------------------------------------------------------------

  /** @throws GatewayException {@code NOT_IMPLEMENTED}: Converse is not a client API of Tollway */
  @Override
  public ChatRequest decodeRequest(JsonNode body) {
    throw notAClientApi();
  }

  /** @throws GatewayException {@code NOT_IMPLEMENTED}: Converse is not a client API of Tollway */
  @Override
  public ObjectNode encodeResponse(ChatResponse response, ChatRequest request) {
    throw notAClientApi();
  }

  /** @throws GatewayException {@code NOT_IMPLEMENTED}: Converse is not a client API of Tollway */
  @Override
  public StreamEncoder streamEncoder(ChatRequest request) {
    throw notAClientApi();
  }

  /** @throws GatewayException {@code NOT_IMPLEMENTED}: Converse is not a client API of Tollway */
  @Override
  public ObjectNode encodeError(GatewayException error) {
    throw notAClientApi();
  }

  // ---- provider side -------------------------------------------------------------------------------------

  @Override
  public ObjectNode encodeRequest(ChatRequest request) {
    return BedrockRequestEncoder.encode(requireNonNull(request, "request"));
  }

  @Override
  public ChatResponse decodeResponse(JsonNode body) {
    return BedrockResponses.decode(requireNonNull(body, "body"));
  }

  /** A decoder of the binary {@code application/vnd.amazon.eventstream} body of ConverseStream. */
  @Override
  public StreamDecoder streamDecoder() {
    return new BedrockStreamDecoder();
  }

  /** An error without its {@code x-amzn-errortype} header: the type is read from the body when it has one. */
  @Override
  public GatewayException decodeError(int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
    return BedrockErrors.decode(status, body, retryAfter, null);
  }

  /**
   * An error with Bedrock's {@code x-amzn-errortype} header, which names the exception
   * ({@code ThrottlingException:http://...}) where the body often does not.
   */
  @Override
  public GatewayException decodeError(
      int status, @Nullable JsonNode body, @Nullable Duration retryAfter, Function<String, @Nullable String> header) {
    return decodeError(status, body, retryAfter, header.apply("x-amzn-errortype"));
  }

  /** As above, with the {@code x-amzn-errortype} header's value. */
  public GatewayException decodeError(
      int status, @Nullable JsonNode body, @Nullable Duration retryAfter, @Nullable String errorTypeHeader) {
    return BedrockErrors.decode(status, body, retryAfter, errorTypeHeader);
  }

  private static GatewayException notAClientApi() {
    return new GatewayException(
        ErrorReason.NOT_IMPLEMENTED, "Bedrock Converse is a provider API only; Tollway does not serve it to clients");
  }
}

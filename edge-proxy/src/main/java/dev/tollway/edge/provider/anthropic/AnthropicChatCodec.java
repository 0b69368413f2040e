package dev.tollway.edge.provider.anthropic;

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

/** The Anthropic Messages wire format ({@code /v1/messages}), client and provider side. */
public final class AnthropicChatCodec implements ChatCodec {

  private final IdSource ids;
  private final AnthropicResponses responses;

  /** A codec with random ids. */
  public AnthropicChatCodec() {
    this(IdSource.random());
  }

  /** @param ids makes message ids the provider did not give */
  public AnthropicChatCodec(IdSource ids) {
    this.ids = requireNonNull(ids, "ids");
    this.responses = new AnthropicResponses(ids);
  }

  @Override
  public ChatFormat format() {
    return ChatFormat.ANTHROPIC_MESSAGES;
  }

  @Override
  public ChatRequest decodeRequest(JsonNode body) {
    return AnthropicRequestDecoder.decode(body);
  }

  /**
   * Decodes a client's {@code /v1/messages/count_tokens} body: a Messages request without
   * {@code max_tokens}.
   */
  public ChatRequest decodeCountTokensRequest(JsonNode body) {
    return AnthropicRequestDecoder.decode(requireNonNull(body, "body"), false);
  }

  @Override
  public ObjectNode encodeResponse(ChatResponse response, ChatRequest request) {
    return responses.encode(requireNonNull(response, "response"), requireNonNull(request, "request"));
  }

  @Override
  public StreamEncoder streamEncoder(ChatRequest request) {
    return new AnthropicStreamEncoder(requireNonNull(request, "request"), ids);
  }

  @Override
  public ObjectNode encodeError(GatewayException error) {
    return AnthropicErrors.encode(requireNonNull(error, "error"));
  }

  @Override
  public ObjectNode encodeRequest(ChatRequest request) {
    return AnthropicRequestEncoder.encode(requireNonNull(request, "request"));
  }

  @Override
  public ChatResponse decodeResponse(JsonNode body) {
    return AnthropicResponses.decode(requireNonNull(body, "body"));
  }

  @Override
  public StreamDecoder streamDecoder() {
    return new AnthropicStreamDecoder();
  }

  @Override
  public GatewayException decodeError(int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
    return AnthropicErrors.decode(status, body, retryAfter);
  }
}

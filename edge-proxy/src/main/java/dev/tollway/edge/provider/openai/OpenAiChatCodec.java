package dev.tollway.edge.provider.openai;

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
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The OpenAI Chat Completions wire format ({@code /v1/chat/completions}), client and provider side. */
public final class OpenAiChatCodec implements ChatCodec {

  private final Clock clock;
  private final IdSource ids;
  private final OpenAiResponses responses;

  /** A codec on the system clock with random ids. */
  public OpenAiChatCodec() {
    this(Clock.systemUTC(), IdSource.random());
  }

  /**
   * @param clock gives {@code created} when the provider did not
   * @param ids makes response and tool call ids the provider did not give
   */
  public OpenAiChatCodec(Clock clock, IdSource ids) {
    this.clock = requireNonNull(clock, "clock");
    this.ids = requireNonNull(ids, "ids");
    this.responses = new OpenAiResponses(clock, ids);
  }

  @Override
  public ChatFormat format() {
    return ChatFormat.OPENAI_CHAT;
  }

  @Override
  public ChatRequest decodeRequest(JsonNode body) {
    return OpenAiRequestDecoder.decode(body);
  }

  @Override
  public ObjectNode encodeResponse(ChatResponse response, ChatRequest request) {
    return responses.encode(requireNonNull(response, "response"), requireNonNull(request, "request"));
  }

  @Override
  public StreamEncoder streamEncoder(ChatRequest request) {
    return new OpenAiStreamEncoder(requireNonNull(request, "request"), clock, ids);
  }

  @Override
  public ObjectNode encodeError(GatewayException error) {
    return OpenAiErrors.encode(requireNonNull(error, "error"));
  }

  @Override
  public ObjectNode encodeRequest(ChatRequest request) {
    return OpenAiRequestEncoder.encode(requireNonNull(request, "request"));
  }

  /** A same-format request goes as the client's body with {@code model} set (and, for streams, usage asked). */
  @Override
  public boolean keepsOwnFormatButModel() {
    return true;
  }

  @Override
  public ChatResponse decodeResponse(JsonNode body) {
    return responses.decode(requireNonNull(body, "body"));
  }

  @Override
  public StreamDecoder streamDecoder() {
    return new OpenAiStreamDecoder(ids);
  }

  @Override
  public GatewayException decodeError(int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
    return OpenAiErrors.decode(status, body, retryAfter);
  }
}

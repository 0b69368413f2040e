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

/**
 * The OpenAI Responses wire format ({@code /v1/responses}), client and provider side: text, images, function
 * tools and their results, reasoning summaries, JSON mode, streaming. Errors are OpenAI's shape. Pure and
 * thread-safe.
 */
public final class OpenAiResponsesCodec implements ChatCodec {

  private final Clock clock;
  private final IdSource ids;
  private final ResponsesAnswers answers;

  /** A codec on the system clock with random ids. */
  public OpenAiResponsesCodec() {
    this(Clock.systemUTC(), IdSource.random());
  }

  /**
   * @param clock gives {@code created_at} when the provider did not
   * @param ids makes response, item and call ids the provider did not give
   */
  public OpenAiResponsesCodec(Clock clock, IdSource ids) {
    this.clock = requireNonNull(clock, "clock");
    this.ids = requireNonNull(ids, "ids");
    this.answers = new ResponsesAnswers(clock, ids);
  }

  @Override
  public ChatFormat format() {
    return ChatFormat.OPENAI_RESPONSES;
  }

  @Override
  public ChatRequest decodeRequest(JsonNode body) {
    return ResponsesRequestDecoder.decode(requireNonNull(body, "body"));
  }

  /** Refuses stored state ({@code previous_response_id}, {@code item_reference}) and hosted tools. */
  @Override
  public void checkTranslatable(ChatRequest request) {
    ResponsesRequestDecoder.checkTranslatable(requireNonNull(request, "request"));
  }

  @Override
  public ObjectNode encodeResponse(ChatResponse response, ChatRequest request) {
    return answers.encode(requireNonNull(response, "response"), requireNonNull(request, "request"));
  }

  @Override
  public StreamEncoder streamEncoder(ChatRequest request) {
    return new ResponsesStreamEncoder(requireNonNull(request, "request"), clock, ids);
  }

  @Override
  public ObjectNode encodeError(GatewayException error) {
    return OpenAiErrors.encode(requireNonNull(error, "error"));
  }

  @Override
  public ObjectNode encodeRequest(ChatRequest request) {
    return ResponsesRequestEncoder.encode(requireNonNull(request, "request"));
  }

  @Override
  public ChatResponse decodeResponse(JsonNode body) {
    return answers.decode(requireNonNull(body, "body"));
  }

  @Override
  public StreamDecoder streamDecoder() {
    return new ResponsesStreamDecoder(ids);
  }

  @Override
  public GatewayException decodeError(int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
    return OpenAiErrors.decode(status, body, retryAfter);
  }
}

package dev.tollway.local.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One provider's API as the fake serves it: authentication, request parsing and response rendering. */
sealed interface ProviderApi
    permits OpenAiApi, OpenAiResponsesApi, AnthropicApi, GeminiApi, AzureOpenAiApi, BedrockApi, VertexApi {

  /** {@code openai}, {@code azureopenai}, {@code anthropic}, {@code gemini}, {@code bedrock} or {@code vertexai}. */
  String name();

  /** The error for a request without valid credentials, or {@code null} when the request may proceed. */
  @Nullable ApiError authenticate(Incoming request);

  /**
   * Reads a request body.
   *
   * @param pathModel the model named in the path (Gemini), or {@code null}
   * @param pathStream whether the path asks for a stream (Gemini)
   * @throws ApiError.Refused when the provider would refuse the body
   */
  ChatInput parse(JsonNode body, @Nullable String pathModel, boolean pathStream);

  /** The provider's error for an HTTP status, as an injected failure answers it. */
  ApiError errorFor(int status);

  /** The provider's error for a body that is not JSON. */
  ApiError notJson();

  /** The error body in the provider's shape. */
  byte[] errorBody(ApiError error, long sequence);

  /** The non-streamed response body. */
  byte[] response(ChatInput input, FakeAnswer answer, long sequence, long createdEpochSeconds);

  /**
   * The streamed response, each element one event written and flushed alone: a complete server-sent event,
   * blank line included, or (Bedrock) one binary event-stream frame.
   */
  List<byte[]> streamEvents(ChatInput input, FakeAnswer answer, long sequence, long createdEpochSeconds);

  /** The {@code Content-Type} of a streamed response. */
  default String eventStreamContentType() {
    return "text/event-stream; charset=utf-8";
  }

  /** Extra headers on every response (such as Anthropic's {@code request-id}). */
  default List<String[]> responseHeaders(long sequence) {
    return List.of();
  }

  /** The headers of an error answer: by default those of every answer. */
  default List<String[]> errorHeaders(ApiError error, long sequence) {
    return responseHeaders(sequence);
  }

  /** Serialises a JSON body. */
  static byte[] json(JsonNode node) {
    return node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A {@code data: <json>} event. */
  static byte[] dataEvent(JsonNode node) {
    return ("data: " + node + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A sequence number as the fakes write it in ids: six digits at least. */
  static String id(long sequence) {
    return String.format(java.util.Locale.ROOT, "%06d", sequence);
  }
}

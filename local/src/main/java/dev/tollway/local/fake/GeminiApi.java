package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.util.HeaderMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Gemini ({@code POST /v1beta/models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse}):
 * {@code x-goog-api-key} required; a {@code GenerateContentResponse}, or {@code data:} events each holding one,
 * every one with cumulative {@code usageMetadata} and the last with {@code finishReason}. No {@code [DONE]}: the
 * stream ends when the answer does.
 *
 * <p>Input tokens: {@code systemInstruction} text parts, each content's text parts, each {@code functionCall}'s
 * args and each {@code functionResponse}'s response as compact JSON.
 */
final class GeminiApi implements ProviderApi {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Override
  public String name() {
    return "gemini";
  }

  @Override
  public @Nullable ApiError authenticate(Incoming request) {
    HeaderMap headers = request.headers();
    String key = headers.getFirst("x-goog-api-key");
    if (key == null || key.isBlank()) {
      return new ApiError(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without "
          + "established identity). Please use API Key or other form of API consumer identity to call this API.");
    }
    return null;
  }

  @Override
  public ChatInput parse(JsonNode body, @Nullable String pathModel, boolean pathStream) {
    requireNonNull(pathModel, "pathModel");
    if (!body.isObject()) {
      throw new ApiError.Refused(notJson());
    }
    JsonNode contents = body.path("contents");
    if (!contents.isArray() || contents.isEmpty()) {
      throw new ApiError.Refused(new ApiError(400, "INVALID_ARGUMENT",
          "* GenerateContentRequest.contents: contents is not specified\n"));
    }
    int inputTokens = FakeTokens.count(text(body.path("systemInstruction")));
    for (JsonNode content : contents) {
      inputTokens += FakeTokens.count(text(content));
      for (JsonNode part : content.path("parts")) {
        if (part.has("functionCall")) {
          inputTokens += FakeTokens.count(part.path("functionCall").path("args").toString());
        }
        if (part.has("functionResponse")) {
          inputTokens += FakeTokens.count(part.path("functionResponse").path("response").toString());
        }
      }
    }
    Integer maxTokens = null;
    JsonNode limit = body.path("generationConfig").path("maxOutputTokens");
    if (limit.canConvertToInt()) {
      maxTokens = limit.asInt();
      if (maxTokens < 1) {
        throw new ApiError.Refused(new ApiError(400, "INVALID_ARGUMENT",
            "* GenerateContentRequest.generation_config.max_output_tokens: must be positive\n"));
      }
    }
    return new ChatInput(pathModel, pathStream, false, inputTokens, maxTokens, toolToCall(body, contents));
  }

  private static ChatInput.@Nullable ToolSpec toolToCall(JsonNode body, JsonNode contents) {
    List<ChatInput.ToolSpec> tools = new ArrayList<>();
    for (JsonNode tool : body.path("tools")) {
      for (JsonNode declaration : tool.path("functionDeclarations")) {
        if (declaration.path("name").isTextual()) {
          JsonNode schema = declaration.has("parametersJsonSchema")
              ? declaration.path("parametersJsonSchema")
              : declaration.path("parameters");
          tools.add(new ChatInput.ToolSpec(declaration.path("name").asText(), schema));
        }
      }
    }
    if (tools.isEmpty()) {
      return null;
    }
    JsonNode config = body.path("toolConfig").path("functionCallingConfig");
    String mode = config.path("mode").asText("AUTO").toUpperCase(Locale.ROOT);
    if (mode.equals("NONE")) {
      return null;
    }
    if (mode.equals("ANY")) {
      String allowed = config.path("allowedFunctionNames").path(0).asText("");
      return tools.stream().filter(t -> t.name().equals(allowed)).findFirst().orElse(tools.get(0));
    }
    JsonNode last = contents.get(contents.size() - 1);
    boolean fromUser = last.path("role").asText("user").equals("user");
    return fromUser && FakeAnswer.asksForTool(text(last)) ? tools.get(0) : null;
  }

  /** The text parts of a {@code Content}, joined. */
  private static String text(JsonNode content) {
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content.path("parts")) {
      if (part.path("text").isTextual()) {
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  @Override
  public ApiError errorFor(int status) {
    return switch (status) {
      case 400 -> new ApiError(status, "INVALID_ARGUMENT", "Injected failure: invalid argument.");
      case 401 -> new ApiError(status, "UNAUTHENTICATED", "Injected failure: unauthenticated.");
      case 403 -> new ApiError(status, "PERMISSION_DENIED", "Injected failure: permission denied.");
      case 404 -> new ApiError(status, "NOT_FOUND", "Injected failure: not found.");
      case 429 -> new ApiError(status, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).");
      case 500 -> new ApiError(status, "INTERNAL", "An internal error has occurred.");
      case 503 -> new ApiError(status, "UNAVAILABLE", "The model is overloaded. Please try again later.");
      case 504 -> new ApiError(status, "DEADLINE_EXCEEDED", "Injected failure: deadline exceeded.");
      default -> new ApiError(status, status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION",
          "Injected failure: status " + status + ".");
    };
  }

  @Override
  public ApiError notJson() {
    return new ApiError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
  }

  @Override
  public byte[] errorBody(ApiError error, long sequence) {
    ObjectNode body = JSON.objectNode();
    body.putObject("error").put("code", error.status()).put("message", error.message()).put("status", error.type());
    return ProviderApi.json(body);
  }

  @Override
  public String eventStreamContentType() {
    return "text/event-stream";
  }

  @Override
  public byte[] response(ChatInput input, FakeAnswer answer, long sequence, long created) {
    return ProviderApi.json(responseNode(input, answer, sequence));
  }

  private static ObjectNode responseNode(ChatInput input, FakeAnswer answer, long sequence) {
    ObjectNode body = JSON.objectNode();
    ObjectNode candidate = body.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    ArrayNode parts = content.putArray("parts");
    if (answer instanceof FakeAnswer.ToolCall call) {
      parts.addObject().putObject("functionCall").put("name", call.name()).set("args", call.arguments());
    } else {
      parts.addObject().put("text", ((FakeAnswer.Text) answer).text());
    }
    content.put("role", "model");
    candidate.put("finishReason", finishReason(answer));
    candidate.put("index", 0);
    body.set("usageMetadata", usage(input.inputTokens(), answer.outputTokens()));
    body.put("modelVersion", input.model());
    body.put("responseId", responseId(sequence));
    return body;
  }

  @Override
  public List<byte[]> streamEvents(ChatInput input, FakeAnswer answer, long sequence, long created) {
    List<byte[]> events = new ArrayList<>();
    if (answer instanceof FakeAnswer.ToolCall) {
      // Gemini sends a function call whole, in one chunk that also ends the stream
      events.add(ProviderApi.dataEvent(responseNode(input, answer, sequence)));
      return events;
    }
    FakeAnswer.Text text = (FakeAnswer.Text) answer;
    List<String> pieces = text.pieces();
    StringBuilder sent = new StringBuilder();
    for (int i = 0; i < pieces.size(); i++) {
      boolean last = i == pieces.size() - 1;
      sent.append(pieces.get(i));
      ObjectNode chunk = JSON.objectNode();
      ObjectNode candidate = chunk.putArray("candidates").addObject();
      ObjectNode content = candidate.putObject("content");
      content.putArray("parts").addObject().put("text", pieces.get(i));
      content.put("role", "model");
      if (last) {
        candidate.put("finishReason", finishReason(answer));
      }
      candidate.put("index", 0);
      int outputSoFar = last ? answer.outputTokens() : FakeTokens.count(sent.toString());
      chunk.set("usageMetadata", usage(input.inputTokens(), outputSoFar));
      chunk.put("modelVersion", input.model());
      chunk.put("responseId", responseId(sequence));
      events.add(ProviderApi.dataEvent(chunk));
    }
    return events;
  }

  private static String responseId(long sequence) {
    return "fake-" + ProviderApi.id(sequence);
  }

  private static String finishReason(FakeAnswer answer) {
    return answer instanceof FakeAnswer.Text text && text.truncated() ? "MAX_TOKENS" : "STOP";
  }

  private static ObjectNode usage(int inputTokens, int outputTokens) {
    ObjectNode usage = JSON.objectNode();
    usage.put("promptTokenCount", inputTokens);
    usage.put("candidatesTokenCount", outputTokens);
    usage.put("totalTokenCount", inputTokens + outputTokens);
    usage.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", inputTokens);
    return usage;
  }
}

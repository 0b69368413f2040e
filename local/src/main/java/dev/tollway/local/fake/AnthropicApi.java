package dev.tollway.local.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.util.HeaderMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic Messages ({@code POST /v1/messages}): {@code x-api-key} and {@code anthropic-version} required,
 * {@code max_tokens} required; the {@code message} object, or the event sequence {@code message_start},
 * {@code content_block_start}, {@code ping}, {@code content_block_delta}s, {@code content_block_stop},
 * {@code message_delta} (stop reason and output tokens), {@code message_stop}, each as
 * {@code event: <type>\ndata: <json>\n\n}. Input tokens are reported in {@code message_start} only, as the API
 * does for several models, so a client must keep them from there.
 *
 * <p>Input tokens: {@code system} (string or text blocks), each message's text (string or {@code text}
 * blocks), each {@code tool_use} block's input as compact JSON and each {@code tool_result}'s text.
 */
final class AnthropicApi implements ProviderApi {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public @Nullable ApiError authenticate(Incoming request) {
    HeaderMap headers = request.headers();
    String key = headers.getFirst("x-api-key");
    if (key == null || key.isBlank()) {
      return new ApiError(401, "authentication_error", "x-api-key header is required");
    }
    String version = headers.getFirst("anthropic-version");
    if (version == null || version.isBlank()) {
      return new ApiError(400, "invalid_request_error", "anthropic-version: header is required");
    }
    return null;
  }

  @Override
  public ChatInput parse(JsonNode body, @Nullable String pathModel, boolean pathStream) {
    if (!body.isObject()) {
      throw new ApiError.Refused(notJson());
    }
    JsonNode model = body.path("model");
    if (!model.isTextual() || model.asText().isEmpty()) {
      throw invalid("model: Field required");
    }
    JsonNode messages = body.path("messages");
    if (!messages.isArray()) {
      throw invalid("messages: Field required");
    }
    if (messages.isEmpty()) {
      throw invalid("messages: at least one message is required");
    }
    JsonNode maxTokens = body.path("max_tokens");
    if (maxTokens.isMissingNode() || maxTokens.isNull()) {
      throw invalid("max_tokens: Field required");
    }
    if (!maxTokens.canConvertToInt() || !maxTokens.isIntegralNumber()) {
      throw invalid("max_tokens: Input should be a valid integer");
    }
    if (maxTokens.asInt() < 1) {
      throw invalid("max_tokens: Input should be greater than or equal to 1");
    }
    int inputTokens = FakeTokens.count(text(body.path("system")));
    for (JsonNode message : messages) {
      JsonNode content = message.path("content");
      inputTokens += FakeTokens.count(text(content));
      for (JsonNode block : content) {
        switch (block.path("type").asText()) {
          case "tool_use" -> inputTokens += FakeTokens.count(block.path("input").toString());
          case "tool_result" -> inputTokens += FakeTokens.count(text(block.path("content")));
          default -> { }
        }
      }
    }
    boolean stream = body.path("stream").asBoolean(false);
    return new ChatInput(model.asText(), stream, false, inputTokens, maxTokens.asInt(), toolToCall(body, messages));
  }

  private static ApiError.Refused invalid(String message) {
    return new ApiError.Refused(new ApiError(400, "invalid_request_error", message));
  }

  private static ChatInput.@Nullable ToolSpec toolToCall(JsonNode body, JsonNode messages) {
    List<ChatInput.ToolSpec> tools = new ArrayList<>();
    for (JsonNode tool : body.path("tools")) {
      if (tool.path("name").isTextual()) {
        tools.add(new ChatInput.ToolSpec(tool.path("name").asText(), tool.path("input_schema")));
      }
    }
    if (tools.isEmpty()) {
      return null;
    }
    JsonNode choice = body.path("tool_choice");
    switch (choice.path("type").asText("auto")) {
      case "none":
        return null;
      case "any":
        return tools.get(0);
      case "tool":
        String forced = choice.path("name").asText("");
        return tools.stream().filter(t -> t.name().equals(forced)).findFirst().orElse(tools.get(0));
      default:
        JsonNode last = messages.get(messages.size() - 1);
        boolean fromUser = last.path("role").asText().equals("user");
        return fromUser && FakeAnswer.asksForTool(text(last.path("content"))) ? tools.get(0) : null;
    }
  }

  /** The text of a {@code content} or {@code system}: the string, or the {@code text} blocks joined. */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) {
      if (block.path("type").asText().equals("text")) {
        text.append(block.path("text").asText(""));
      }
    }
    return text.toString();
  }

  @Override
  public ApiError errorFor(int status) {
    return switch (status) {
      case 400 -> new ApiError(status, "invalid_request_error", "Injected failure: invalid request.");
      case 401 -> new ApiError(status, "authentication_error", "invalid x-api-key");
      case 403 -> new ApiError(status, "permission_error", "Injected failure: permission denied.");
      case 404 -> new ApiError(status, "not_found_error", "Injected failure: not found.");
      case 413 -> new ApiError(status, "request_too_large", "Injected failure: request too large.");
      case 429 -> new ApiError(status, "rate_limit_error", "Injected failure: rate limited.");
      case 529 -> new ApiError(status, "overloaded_error", "Overloaded");
      default -> status >= 500
          ? new ApiError(status, "api_error", "Internal server error")
          : new ApiError(status, "invalid_request_error", "Injected failure: status " + status + ".");
    };
  }

  @Override
  public ApiError notJson() {
    return new ApiError(400, "invalid_request_error", "There was an issue with your request body: it is not "
        + "valid JSON.");
  }

  @Override
  public byte[] errorBody(ApiError error, long sequence) {
    ObjectNode body = JSON.objectNode();
    body.put("type", "error");
    body.putObject("error").put("type", error.type()).put("message", error.message());
    body.put("request_id", requestId(sequence));
    return ProviderApi.json(body);
  }

  @Override
  public List<String[]> responseHeaders(long sequence) {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {"request-id", requestId(sequence)});
    return headers;
  }

  private static String requestId(long sequence) {
    return "req_fake_" + ProviderApi.id(sequence);
  }

  @Override
  public byte[] response(ChatInput input, FakeAnswer answer, long sequence, long created) {
    ObjectNode body = message(input, sequence);
    if (answer instanceof FakeAnswer.ToolCall call) {
      ObjectNode block = body.putArray("content").addObject();
      block.put("type", "tool_use");
      block.put("id", toolId(sequence));
      block.put("name", call.name());
      block.set("input", call.arguments());
    } else {
      body.putArray("content").addObject().put("type", "text").put("text", ((FakeAnswer.Text) answer).text());
    }
    body.put("stop_reason", stopReason(answer));
    body.putNull("stop_sequence");
    body.set("usage", usage(input.inputTokens(), answer.outputTokens()));
    return ProviderApi.json(body);
  }

  @Override
  public List<byte[]> streamEvents(ChatInput input, FakeAnswer answer, long sequence, long created) {
    List<byte[]> events = new ArrayList<>();
    ObjectNode start = message(input, sequence);
    start.putArray("content");
    start.putNull("stop_reason");
    start.putNull("stop_sequence");
    start.set("usage", usage(input.inputTokens(), 1));
    events.add(event("message_start", JSON.objectNode().put("type", "message_start").set("message", start)));

    ObjectNode blockStart = JSON.objectNode().put("type", "content_block_start").put("index", 0);
    if (answer instanceof FakeAnswer.ToolCall call) {
      ObjectNode block = blockStart.putObject("content_block");
      block.put("type", "tool_use");
      block.put("id", toolId(sequence));
      block.put("name", call.name());
      block.putObject("input");
      events.add(event("content_block_start", blockStart));
      events.add(event("ping", JSON.objectNode().put("type", "ping")));
      for (String piece : call.argumentPieces()) {
        ObjectNode delta = JSON.objectNode().put("type", "content_block_delta").put("index", 0);
        delta.putObject("delta").put("type", "input_json_delta").put("partial_json", piece);
        events.add(event("content_block_delta", delta));
      }
    } else {
      blockStart.putObject("content_block").put("type", "text").put("text", "");
      events.add(event("content_block_start", blockStart));
      events.add(event("ping", JSON.objectNode().put("type", "ping")));
      for (String piece : ((FakeAnswer.Text) answer).pieces()) {
        ObjectNode delta = JSON.objectNode().put("type", "content_block_delta").put("index", 0);
        delta.putObject("delta").put("type", "text_delta").put("text", piece);
        events.add(event("content_block_delta", delta));
      }
    }
    events.add(event("content_block_stop", JSON.objectNode().put("type", "content_block_stop").put("index", 0)));

    ObjectNode messageDelta = JSON.objectNode().put("type", "message_delta");
    messageDelta.putObject("delta").put("stop_reason", stopReason(answer)).putNull("stop_sequence");
    messageDelta.putObject("usage").put("output_tokens", answer.outputTokens());
    events.add(event("message_delta", messageDelta));
    events.add(event("message_stop", JSON.objectNode().put("type", "message_stop")));
    return events;
  }

  private static ObjectNode message(ChatInput input, long sequence) {
    ObjectNode message = JSON.objectNode();
    message.put("id", "msg_fake_" + ProviderApi.id(sequence));
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", input.model());
    return message;
  }

  private static String toolId(long sequence) {
    return "toolu_fake_" + ProviderApi.id(sequence);
  }

  private static String stopReason(FakeAnswer answer) {
    if (answer instanceof FakeAnswer.ToolCall) {
      return "tool_use";
    }
    return ((FakeAnswer.Text) answer).truncated() ? "max_tokens" : "end_turn";
  }

  private static ObjectNode usage(int inputTokens, int outputTokens) {
    ObjectNode usage = JSON.objectNode();
    usage.put("input_tokens", inputTokens);
    usage.put("cache_creation_input_tokens", 0);
    usage.put("cache_read_input_tokens", 0);
    usage.put("output_tokens", outputTokens);
    return usage;
  }

  private static byte[] event(String type, JsonNode data) {
    return ("event: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}

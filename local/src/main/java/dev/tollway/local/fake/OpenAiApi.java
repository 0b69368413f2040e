package dev.tollway.local.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI Chat Completions ({@code POST /v1/chat/completions}): {@code Authorization: Bearer <key>}; the
 * {@code chat.completion} object, or {@code chat.completion.chunk} events ending with {@code data: [DONE]} and a
 * usage chunk (empty {@code choices}) first when {@code stream_options.include_usage} is set.
 *
 * <p>Input tokens: each message's text ({@code content} as a string, or each {@code text} part) and each tool
 * call's {@code arguments}.
 */
final class OpenAiApi implements ProviderApi {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public @Nullable ApiError authenticate(Incoming request) {
    HeaderMap headers = request.headers();
    String authorization = headers.getFirst(Headers.AUTHORIZATION);
    if (authorization == null
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        || authorization.substring(7).isBlank()) {
      return new ApiError(401, "invalid_request_error",
          "You didn't provide an API key. You need to provide your API key in an Authorization header using "
              + "Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
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
      throw new ApiError.Refused(new ApiError(400, "invalid_request_error", "you must provide a model parameter"));
    }
    JsonNode messages = body.path("messages");
    if (!messages.isArray()) {
      throw new ApiError.Refused(new ApiError(400, "invalid_request_error",
          "Missing required parameter: 'messages'.", "messages", "missing_required_parameter"));
    }
    if (messages.isEmpty()) {
      throw new ApiError.Refused(new ApiError(400, "invalid_request_error",
          "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array "
              + "instead.", "messages", "empty_array"));
    }
    int inputTokens = 0;
    for (JsonNode message : messages) {
      inputTokens += FakeTokens.count(text(message.path("content")));
      for (JsonNode call : message.path("tool_calls")) {
        inputTokens += FakeTokens.count(call.path("function").path("arguments").asText(""));
      }
    }
    Integer maxTokens = null;
    for (String limit : List.of("max_completion_tokens", "max_tokens")) {
      if (body.path(limit).canConvertToInt()) {
        maxTokens = body.path(limit).asInt();
        if (maxTokens < 1) {
          throw new ApiError.Refused(new ApiError(400, "invalid_request_error",
              "Invalid '" + limit + "': integer below minimum value. Expected a value >= 1, but got " + maxTokens
                  + " instead.", limit, "integer_below_min_value"));
        }
        break;
      }
    }
    boolean stream = body.path("stream").asBoolean(false);
    boolean includeUsage = stream && body.path("stream_options").path("include_usage").asBoolean(false);
    return new ChatInput(model.asText(), stream, includeUsage, inputTokens, maxTokens, toolToCall(body, messages));
  }

  private static ChatInput.@Nullable ToolSpec toolToCall(JsonNode body, JsonNode messages) {
    List<ChatInput.ToolSpec> tools = new ArrayList<>();
    for (JsonNode tool : body.path("tools")) {
      JsonNode function = tool.path("function");
      if (function.path("name").isTextual()) {
        tools.add(new ChatInput.ToolSpec(function.path("name").asText(), function.path("parameters")));
      }
    }
    if (tools.isEmpty()) {
      return null;
    }
    JsonNode choice = body.path("tool_choice");
    if (choice.isTextual() && choice.asText().equals("none")) {
      return null;
    }
    if (choice.isObject()) {
      String forced = choice.path("function").path("name").asText("");
      return tools.stream().filter(t -> t.name().equals(forced)).findFirst().orElse(tools.get(0));
    }
    if (choice.isTextual() && choice.asText().equals("required")) {
      return tools.get(0);
    }
    JsonNode last = messages.get(messages.size() - 1);
    boolean fromUser = last.path("role").asText().equals("user");
    return fromUser && FakeAnswer.asksForTool(text(last.path("content"))) ? tools.get(0) : null;
  }

  /** The text of a {@code content}: the string, or the {@code text} parts joined. */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("type").asText().equals("text")) {
        text.append(part.path("text").asText(""));
      }
    }
    return text.toString();
  }

  @Override
  public ApiError errorFor(int status) {
    return switch (status) {
      case 400 -> new ApiError(status, "invalid_request_error", "Injected failure: bad request.");
      case 401 -> new ApiError(status, "invalid_request_error", "Incorrect API key provided.", null,
          "invalid_api_key");
      case 403 -> new ApiError(status, "invalid_request_error", "Injected failure: forbidden.");
      case 404 -> new ApiError(status, "invalid_request_error", "Injected failure: the model does not exist.",
          null, "model_not_found");
      case 429 -> new ApiError(status, "requests", "Injected failure: rate limit reached for requests.", null,
          "rate_limit_exceeded");
      default -> status >= 500
          ? new ApiError(status, "server_error", "Injected failure: the server had an error while processing "
              + "your request.")
          : new ApiError(status, "invalid_request_error", "Injected failure: status " + status + ".");
    };
  }

  @Override
  public ApiError notJson() {
    return new ApiError(400, "invalid_request_error", "We could not parse the JSON body of your request. (HINT: "
        + "This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, "
        + "but what was sent was not valid JSON.)");
  }

  @Override
  public byte[] errorBody(ApiError error, long sequence) {
    ObjectNode inner = JSON.objectNode();
    inner.put("message", error.message());
    inner.put("type", error.type());
    inner.put("param", error.param());
    inner.put("code", error.code());
    ObjectNode body = JSON.objectNode();
    body.set("error", inner);
    return ProviderApi.json(body);
  }

  @Override
  public byte[] response(ChatInput input, FakeAnswer answer, long sequence, long created) {
    ObjectNode message = JSON.objectNode();
    message.put("role", "assistant");
    String finishReason;
    if (answer instanceof FakeAnswer.ToolCall call) {
      message.putNull("content");
      ObjectNode toolCall = message.putArray("tool_calls").addObject();
      toolCall.put("id", "call_fake_" + ProviderApi.id(sequence));
      toolCall.put("type", "function");
      toolCall.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
      finishReason = "tool_calls";
    } else {
      FakeAnswer.Text text = (FakeAnswer.Text) answer;
      message.put("content", text.text());
      finishReason = text.truncated() ? "length" : "stop";
    }
    message.putNull("refusal");
    message.putArray("annotations");

    ObjectNode body = header(input, sequence, created, "chat.completion");
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("message", message);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    body.set("usage", usage(input, answer));
    body.put("service_tier", "default");
    body.put("system_fingerprint", "fp_fake");
    return ProviderApi.json(body);
  }

  @Override
  public List<byte[]> streamEvents(ChatInput input, FakeAnswer answer, long sequence, long created) {
    List<byte[]> events = new ArrayList<>();
    if (answer instanceof FakeAnswer.ToolCall call) {
      ObjectNode first = JSON.objectNode();
      first.put("role", "assistant");
      first.putNull("content");
      ObjectNode toolCall = first.putArray("tool_calls").addObject();
      toolCall.put("index", 0);
      toolCall.put("id", "call_fake_" + ProviderApi.id(sequence));
      toolCall.put("type", "function");
      toolCall.putObject("function").put("name", call.name()).put("arguments", "");
      first.putNull("refusal");
      events.add(chunk(input, sequence, created, first, null));
      for (String piece : call.argumentPieces()) {
        ObjectNode delta = JSON.objectNode();
        ObjectNode part = delta.putArray("tool_calls").addObject();
        part.put("index", 0);
        part.putObject("function").put("arguments", piece);
        events.add(chunk(input, sequence, created, delta, null));
      }
      events.add(chunk(input, sequence, created, JSON.objectNode(), "tool_calls"));
    } else {
      FakeAnswer.Text text = (FakeAnswer.Text) answer;
      ObjectNode first = JSON.objectNode();
      first.put("role", "assistant");
      first.put("content", "");
      first.putNull("refusal");
      events.add(chunk(input, sequence, created, first, null));
      for (String piece : text.pieces()) {
        events.add(chunk(input, sequence, created, JSON.objectNode().put("content", piece), null));
      }
      events.add(chunk(input, sequence, created, JSON.objectNode(), text.truncated() ? "length" : "stop"));
    }
    if (input.includeUsage()) {
      ObjectNode usageChunk = header(input, sequence, created, "chat.completion.chunk");
      usageChunk.put("service_tier", "default");
      usageChunk.put("system_fingerprint", "fp_fake");
      usageChunk.putArray("choices");
      usageChunk.set("usage", usage(input, answer));
      events.add(ProviderApi.dataEvent(usageChunk));
    }
    events.add(DONE);
    return events;
  }

  private static byte[] chunk(
      ChatInput input, long sequence, long created, ObjectNode delta, @Nullable String finishReason) {
    ObjectNode body = header(input, sequence, created, "chat.completion.chunk");
    body.put("service_tier", "default");
    body.put("system_fingerprint", "fp_fake");
    ArrayNode choices = body.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    if (input.includeUsage()) {
      body.putNull("usage");
    }
    return ProviderApi.dataEvent(body);
  }

  private static ObjectNode header(ChatInput input, long sequence, long created, String object) {
    ObjectNode body = JSON.objectNode();
    body.put("id", "chatcmpl-fake-" + ProviderApi.id(sequence));
    body.put("object", object);
    body.put("created", created);
    body.put("model", input.model());
    return body;
  }

  private static ObjectNode usage(ChatInput input, FakeAnswer answer) {
    ObjectNode usage = JSON.objectNode();
    usage.put("prompt_tokens", input.inputTokens());
    usage.put("completion_tokens", answer.outputTokens());
    usage.put("total_tokens", input.inputTokens() + answer.outputTokens());
    usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
    usage.putObject("completion_tokens_details")
        .put("reasoning_tokens", 0)
        .put("audio_tokens", 0)
        .put("accepted_prediction_tokens", 0)
        .put("rejected_prediction_tokens", 0);
    return usage;
  }
}

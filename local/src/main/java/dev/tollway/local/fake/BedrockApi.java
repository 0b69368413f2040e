package dev.tollway.local.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Amazon Bedrock's Converse API ({@code POST /model/{modelId}/converse}) and ConverseStream
 * ({@code /converse-stream}), the model in the path. Every request must be signed with SigV4 by a trusted AWS
 * key ({@link SigV4Check}), or carry a Bedrock API key as {@code Authorization: Bearer}.
 *
 * <p>The body is checked as Converse checks it: {@code messages} starting with a user turn and alternating,
 * no blank text, {@code toolUse} / {@code toolResult} blocks only with a {@code toolConfig}, and a user turn
 * after an assistant's tool uses must hold exactly their {@code toolResult}s. The answer is
 * {@code {"output": {"message"}, "stopReason", "usage", "metrics"}}; a stream is binary
 * {@code application/vnd.amazon.eventstream} frames made with the AWS SDK's encoder — {@code messageStart},
 * {@code contentBlockStart} (tool use), {@code contentBlockDelta}s, {@code contentBlockStop},
 * {@code messageStop}, {@code metadata} (usage) — each payload padded with a {@code p} field as Bedrock does.
 * Errors are {@code {"message"}} with the exception's name in {@code x-amzn-ErrorType}.
 *
 * <p>Input tokens: {@code system} texts, each text block, each {@code toolUse} input and each
 * {@code toolResult}'s content as compact JSON or text.
 */
final class BedrockApi implements ProviderApi {

  static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  @Override
  public String name() {
    return "bedrock";
  }

  /** SigV4 by a trusted key, or a Bedrock API key ({@code Authorization: Bearer}). */
  @Override
  public @Nullable ApiError authenticate(Incoming request) {
    String authorization = request.headers().getFirst("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).isBlank()
          ? new ApiError(403, "UnrecognizedClientException", "The security token included in the request is invalid.")
          : null;
    }
    try {
      SigV4Check.verify(request);
      return null;
    } catch (ApiError.Refused e) {
      return e.error();
    }
  }

  @Override
  public ChatInput parse(JsonNode body, @Nullable String pathModel, boolean pathStream) {
    if (pathModel == null || pathModel.isBlank()) {
      throw invalid("The provided model identifier is invalid.");
    }
    if (!body.isObject()) {
      throw new ApiError.Refused(notJson());
    }
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw invalid("A conversation must start with a user message. Try again with a conversation that starts with a "
          + "user message.");
    }
    boolean hasToolBlocks = false;
    int inputTokens = 0;
    for (JsonNode block : body.path("system")) {
      inputTokens += FakeTokens.count(block.path("text").asText(""));
    }
    Set<String> pendingToolUses = new LinkedHashSet<>();
    String previousRole = null;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String role = message.path("role").asText("");
      if (!role.equals("user") && !role.equals("assistant")) {
        throw invalid("1 validation error detected: Value '" + role + "' at 'messages." + (i + 1)
            + ".member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]");
      }
      if (i == 0 && !role.equals("user")) {
        throw invalid("A conversation must start with a user message. Try again with a conversation that starts with a "
            + "user message.");
      }
      if (role.equals(previousRole)) {
        throw invalid("A conversation must alternate between user and assistant roles. Make sure the conversation "
            + "alternates between user and assistant roles and try again.");
      }
      previousRole = role;
      JsonNode content = message.path("content");
      if (!content.isArray() || content.isEmpty()) {
        throw invalid("The content field in the Message object at messages." + i + " is empty. Add a ContentBlock "
            + "object to the content field and try again.");
      }
      Set<String> results = new LinkedHashSet<>();
      Set<String> uses = new LinkedHashSet<>();
      for (int j = 0; j < content.size(); j++) {
        JsonNode block = content.get(j);
        if (block.has("text")) {
          String text = block.path("text").asText("");
          if (text.isBlank()) {
            throw invalid("The text field in the ContentBlock object at messages." + i + ".content." + j
                + " is blank. Add text to the text field, and try again.");
          }
          inputTokens += FakeTokens.count(text);
        } else if (block.has("toolUse")) {
          hasToolBlocks = true;
          uses.add(block.path("toolUse").path("toolUseId").asText(""));
          inputTokens += FakeTokens.count(block.path("toolUse").path("input").toString());
        } else if (block.has("toolResult")) {
          hasToolBlocks = true;
          JsonNode result = block.path("toolResult");
          results.add(result.path("toolUseId").asText(""));
          for (JsonNode part : result.path("content")) {
            inputTokens += FakeTokens.count(part.has("json") ? part.path("json").toString() : part.path("text").asText(""));
          }
        }
      }
      if (role.equals("user") && !pendingToolUses.isEmpty() && !results.equals(pendingToolUses)) {
        throw invalid("Expected toolResult blocks at messages." + i + ".content for the following Ids: "
            + String.join(", ", pendingToolUses));
      }
      if (role.equals("user") && pendingToolUses.isEmpty() && !results.isEmpty()) {
        throw invalid("The number of toolResult blocks at messages." + i + ".content exceeds the number of toolUse "
            + "blocks of previous turn.");
      }
      pendingToolUses = role.equals("assistant") ? uses : new LinkedHashSet<>();
    }
    JsonNode toolConfig = body.path("toolConfig");
    if (hasToolBlocks && !toolConfig.isObject()) {
      throw invalid("The toolConfig field must be defined when using toolUse and toolResult content blocks.");
    }
    Integer maxTokens = null;
    JsonNode limit = body.path("inferenceConfig").path("maxTokens");
    if (!limit.isMissingNode()) {
      if (!limit.canConvertToInt() || limit.asInt() < 1) {
        throw invalid("1 validation error detected: Value '" + limit + "' at 'inferenceConfig.maxTokens' failed to "
            + "satisfy constraint: Member must have value greater than or equal to 1");
      }
      maxTokens = limit.asInt();
    }
    return new ChatInput(pathModel, pathStream, false, inputTokens, maxTokens, toolToCall(toolConfig, messages));
  }

  private static ChatInput.@Nullable ToolSpec toolToCall(JsonNode toolConfig, JsonNode messages) {
    List<ChatInput.ToolSpec> tools = new ArrayList<>();
    for (JsonNode tool : toolConfig.path("tools")) {
      JsonNode spec = tool.path("toolSpec");
      if (spec.path("name").isTextual()) {
        tools.add(new ChatInput.ToolSpec(spec.path("name").asText(), spec.path("inputSchema").path("json")));
      }
    }
    if (tools.isEmpty()) {
      return null;
    }
    JsonNode choice = toolConfig.path("toolChoice");
    if (choice.has("any")) {
      return tools.get(0);
    }
    if (choice.has("tool")) {
      String forced = choice.path("tool").path("name").asText("");
      return tools.stream().filter(t -> t.name().equals(forced)).findFirst().orElse(tools.get(0));
    }
    JsonNode last = messages.get(messages.size() - 1);
    StringBuilder text = new StringBuilder();
    boolean results = false;
    for (JsonNode block : last.path("content")) {
      text.append(block.path("text").asText(""));
      results |= block.has("toolResult");
    }
    return last.path("role").asText().equals("user") && !results && FakeAnswer.asksForTool(text.toString())
        ? tools.get(0) : null;
  }

  static ApiError.Refused invalid(String message) {
    return new ApiError.Refused(new ApiError(400, "ValidationException", message));
  }

  @Override
  public ApiError errorFor(int status) {
    return switch (status) {
      case 400 -> new ApiError(status, "ValidationException", "Injected failure: validation error.");
      case 403 -> new ApiError(status, "AccessDeniedException", "You don't have access to the model with the specified "
          + "model ID.");
      case 404 -> new ApiError(status, "ResourceNotFoundException", "Injected failure: model not found.");
      case 408 -> new ApiError(status, "ModelTimeoutException", "Injected failure: the model timed out.");
      case 424 -> new ApiError(status, "ModelErrorException", "Injected failure: the model failed.");
      case 429 -> new ApiError(status, "ThrottlingException", "Too many requests, please wait before trying again.");
      case 503 -> new ApiError(status, "ServiceUnavailableException", "Injected failure: service unavailable.");
      default -> status >= 500
          ? new ApiError(status, "InternalServerException", "Injected failure: internal server error.")
          : new ApiError(status, "ValidationException", "Injected failure: status " + status + ".");
    };
  }

  @Override
  public ApiError notJson() {
    return new ApiError(400, "ValidationException", "Malformed input request, please reformat your input and try again.");
  }

  @Override
  public byte[] errorBody(ApiError error, long sequence) {
    return ProviderApi.json(JSON.objectNode().put("message", error.message()));
  }

  @Override
  public List<String[]> responseHeaders(long sequence) {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {"x-amzn-RequestId", requestId(sequence)});
    return headers;
  }

  /** {@code x-amzn-ErrorType: <Exception>:http://internal.amazon.com/coral/com.amazon.bedrock/}. */
  @Override
  public List<String[]> errorHeaders(ApiError error, long sequence) {
    List<String[]> headers = responseHeaders(sequence);
    headers.add(new String[] {"x-amzn-ErrorType", error.type() + ":http://internal.amazon.com/coral/com.amazon.bedrock/"});
    return headers;
  }

  @Override
  public String eventStreamContentType() {
    return EVENT_STREAM;
  }

  @Override
  public byte[] response(ChatInput input, FakeAnswer answer, long sequence, long created) {
    ObjectNode body = JSON.objectNode();
    ObjectNode message = body.putObject("output").putObject("message");
    message.put("role", "assistant");
    ArrayNode content = message.putArray("content");
    if (answer instanceof FakeAnswer.ToolCall call) {
      ObjectNode use = content.addObject().putObject("toolUse");
      use.put("toolUseId", toolUseId(sequence));
      use.put("name", call.name());
      use.set("input", call.arguments());
    } else {
      content.addObject().put("text", ((FakeAnswer.Text) answer).text());
    }
    body.put("stopReason", stopReason(answer));
    body.set("usage", usage(input, answer));
    body.putObject("metrics").put("latencyMs", 42);
    return ProviderApi.json(body);
  }

  @Override
  public List<byte[]> streamEvents(ChatInput input, FakeAnswer answer, long sequence, long created) {
    List<byte[]> frames = new ArrayList<>();
    frames.add(frame("messageStart", JSON.objectNode().put("role", "assistant")));
    if (answer instanceof FakeAnswer.ToolCall call) {
      ObjectNode start = JSON.objectNode().put("contentBlockIndex", 0);
      start.putObject("start").putObject("toolUse").put("toolUseId", toolUseId(sequence)).put("name", call.name());
      frames.add(frame("contentBlockStart", start));
      for (String piece : call.argumentPieces()) {
        ObjectNode delta = JSON.objectNode().put("contentBlockIndex", 0);
        delta.putObject("delta").putObject("toolUse").put("input", piece);
        frames.add(frame("contentBlockDelta", delta));
      }
    } else {
      for (String piece : ((FakeAnswer.Text) answer).pieces()) {
        ObjectNode delta = JSON.objectNode().put("contentBlockIndex", 0);
        delta.putObject("delta").put("text", piece);
        frames.add(frame("contentBlockDelta", delta));
      }
    }
    frames.add(frame("contentBlockStop", JSON.objectNode().put("contentBlockIndex", 0)));
    frames.add(frame("messageStop", JSON.objectNode().put("stopReason", stopReason(answer))));
    ObjectNode metadata = JSON.objectNode();
    metadata.set("usage", usage(input, answer));
    metadata.putObject("metrics").put("latencyMs", 42);
    frames.add(frame("metadata", metadata));
    return frames;
  }

  /** One event frame, by the AWS SDK's encoder: the three headers ConverseStream sends, a padded JSON payload. */
  static byte[] frame(String eventType, ObjectNode payload) {
    payload.put("p", PADDING.substring(0, 1 + Math.floorMod(eventType.hashCode() + payload.size(), PADDING.length() - 1)));
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(eventType));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    ByteBuffer buffer = new Message(headers, payload.toString().getBytes(StandardCharsets.UTF_8)).toByteBuffer();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static String stopReason(FakeAnswer answer) {
    if (answer instanceof FakeAnswer.ToolCall) {
      return "tool_use";
    }
    return ((FakeAnswer.Text) answer).truncated() ? "max_tokens" : "end_turn";
  }

  private static ObjectNode usage(ChatInput input, FakeAnswer answer) {
    return JSON.objectNode()
        .put("inputTokens", input.inputTokens())
        .put("outputTokens", answer.outputTokens())
        .put("totalTokens", input.inputTokens() + answer.outputTokens());
  }

  private static String toolUseId(long sequence) {
    return "tooluse_fake_" + ProviderApi.id(sequence);
  }

  private static String requestId(long sequence) {
    return "00000000-0000-4000-8000-" + String.format(java.util.Locale.ROOT, "%012d", sequence);
  }
}

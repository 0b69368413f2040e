package dev.tollway.local.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}): {@code Authorization: Bearer <key>}; the
 * {@code response} object with {@code message} / {@code function_call} output items, or named events
 * ({@code response.created}, {@code response.output_item.added}, {@code response.output_text.delta},
 * {@code response.function_call_arguments.delta}, ..., {@code response.completed}) each with its
 * {@code sequence_number}. No {@code [DONE]}.
 *
 * <p>Input tokens: {@code instructions}, and each input item's text ({@code content} as a string, or each
 * {@code input_text} / {@code output_text} part), {@code function_call} arguments and
 * {@code function_call_output} output.
 */
final class OpenAiResponsesApi implements ProviderApi {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final OpenAiApi OPENAI = new OpenAiApi();

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public @Nullable ApiError authenticate(Incoming request) {
    return OPENAI.authenticate(request);
  }

  @Override
  public ChatInput parse(JsonNode body, @Nullable String pathModel, boolean pathStream) {
    if (!body.isObject()) {
      throw new ApiError.Refused(notJson());
    }
    JsonNode model = body.path("model");
    if (!model.isTextual() || model.asText().isEmpty()) {
      throw new ApiError.Refused(new ApiError(400, "invalid_request_error",
          "Missing required parameter: 'model'.", "model", "missing_required_parameter"));
    }
    JsonNode input = body.path("input");
    if (!input.isTextual() && !input.isArray()) {
      throw new ApiError.Refused(new ApiError(400, "invalid_request_error",
          "Missing required parameter: 'input'.", "input", "missing_required_parameter"));
    }
    int inputTokens = FakeTokens.count(body.path("instructions").asText(""));
    String lastUserText = null;
    if (input.isTextual()) {
      inputTokens += FakeTokens.count(input.asText());
      lastUserText = input.asText();
    } else {
      for (JsonNode item : input) {
        String type = item.path("type").asText("message");
        switch (type) {
          case "function_call" -> {
            inputTokens += FakeTokens.count(item.path("arguments").asText(""));
            lastUserText = null;
          }
          case "function_call_output" -> {
            inputTokens += FakeTokens.count(item.path("output").asText(""));
            lastUserText = null;
          }
          default -> {
            String text = text(item.path("content"));
            inputTokens += FakeTokens.count(text);
            lastUserText = item.path("role").asText().equals("user") ? text : null;
          }
        }
      }
    }
    Integer maxTokens = null;
    if (body.path("max_output_tokens").canConvertToInt()) {
      maxTokens = body.path("max_output_tokens").asInt();
      if (maxTokens < 16) {
        throw new ApiError.Refused(new ApiError(400, "invalid_request_error",
            "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got " + maxTokens
                + " instead.", "max_output_tokens", "integer_below_min_value"));
      }
    }
    boolean stream = body.path("stream").asBoolean(false);
    return new ChatInput(model.asText(), stream, false, inputTokens, maxTokens, toolToCall(body, lastUserText));
  }

  private static ChatInput.@Nullable ToolSpec toolToCall(JsonNode body, @Nullable String lastUserText) {
    List<ChatInput.ToolSpec> tools = new ArrayList<>();
    for (JsonNode tool : body.path("tools")) {
      if (tool.path("type").asText().equals("function") && tool.path("name").isTextual()) {
        tools.add(new ChatInput.ToolSpec(tool.path("name").asText(), tool.path("parameters")));
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
      String forced = choice.path("name").asText("");
      return tools.stream().filter(t -> t.name().equals(forced)).findFirst().orElse(tools.get(0));
    }
    if (choice.isTextual() && choice.asText().equals("required")) {
      return tools.get(0);
    }
    return FakeAnswer.asksForTool(lastUserText) ? tools.get(0) : null;
  }

  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      String type = part.path("type").asText();
      if (type.equals("input_text") || type.equals("output_text")) {
        text.append(part.path("text").asText(""));
      }
    }
    return text.toString();
  }

  @Override
  public ApiError errorFor(int status) {
    return OPENAI.errorFor(status);
  }

  @Override
  public ApiError notJson() {
    return OPENAI.notJson();
  }

  @Override
  public byte[] errorBody(ApiError error, long sequence) {
    return OPENAI.errorBody(error, sequence);
  }

  @Override
  public byte[] response(ChatInput input, FakeAnswer answer, long sequence, long created) {
    ObjectNode body = response(input, sequence, created, answer instanceof FakeAnswer.Text t && t.truncated()
        ? "incomplete" : "completed");
    body.set("output", output(answer, sequence, "completed"));
    body.set("usage", usage(input, answer));
    return ProviderApi.json(body);
  }

  @Override
  public List<byte[]> streamEvents(ChatInput input, FakeAnswer answer, long sequence, long created) {
    Events events = new Events();
    events.add("response.created", JSON.objectNode().set("response", response(input, sequence, created, "in_progress")));
    events.add("response.in_progress", JSON.objectNode().set("response", response(input, sequence, created, "in_progress")));
    ObjectNode item = (ObjectNode) output(answer, sequence, "in_progress").get(0);
    String itemId = item.path("id").asText();
    events.add("response.output_item.added", JSON.objectNode().put("output_index", 0).set("item", item));
    if (answer instanceof FakeAnswer.ToolCall call) {
      for (String piece : call.argumentPieces()) {
        events.add("response.function_call_arguments.delta",
            JSON.objectNode().put("item_id", itemId).put("output_index", 0).put("delta", piece));
      }
      events.add("response.function_call_arguments.done",
          JSON.objectNode().put("item_id", itemId).put("output_index", 0).put("arguments", call.argumentsJson()));
    } else {
      FakeAnswer.Text text = (FakeAnswer.Text) answer;
      ObjectNode emptyPart = outputText("");
      events.add("response.content_part.added", JSON.objectNode().put("item_id", itemId).put("output_index", 0)
          .put("content_index", 0).set("part", emptyPart));
      for (String piece : text.pieces()) {
        ObjectNode delta = JSON.objectNode().put("item_id", itemId).put("output_index", 0).put("content_index", 0)
            .put("delta", piece);
        delta.putArray("logprobs");
        events.add("response.output_text.delta", delta);
      }
      ObjectNode done = JSON.objectNode().put("item_id", itemId).put("output_index", 0).put("content_index", 0)
          .put("text", text.text());
      done.putArray("logprobs");
      events.add("response.output_text.done", done);
      events.add("response.content_part.done", JSON.objectNode().put("item_id", itemId).put("output_index", 0)
          .put("content_index", 0).set("part", outputText(text.text())));
    }
    ArrayNode finished = output(answer, sequence, "completed");
    events.add("response.output_item.done", JSON.objectNode().put("output_index", 0).set("item", finished.get(0)));
    boolean incomplete = answer instanceof FakeAnswer.Text t && t.truncated();
    ObjectNode last = response(input, sequence, created, incomplete ? "incomplete" : "completed");
    last.set("output", finished);
    last.set("usage", usage(input, answer));
    events.add(incomplete ? "response.incomplete" : "response.completed", JSON.objectNode().set("response", last));
    return events.list;
  }

  /** Named events numbered from 0. */
  private static final class Events {
    final List<byte[]> list = new ArrayList<>();

    void add(String type, JsonNode data) {
      ObjectNode event = JSON.objectNode().put("type", type).put("sequence_number", list.size());
      event.setAll((ObjectNode) data);
      list.add(("event: " + type + "\ndata: " + event + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static ObjectNode response(ChatInput input, long sequence, long created, String status) {
    ObjectNode body = JSON.objectNode();
    body.put("id", "resp_fake_" + ProviderApi.id(sequence));
    body.put("object", "response");
    body.put("created_at", created);
    body.put("status", status);
    body.putNull("error");
    if (status.equals("incomplete")) {
      body.putObject("incomplete_details").put("reason", "max_output_tokens");
    } else {
      body.putNull("incomplete_details");
    }
    body.putNull("instructions");
    if (input.maxOutputTokens() != null) {
      body.put("max_output_tokens", input.maxOutputTokens());
    } else {
      body.putNull("max_output_tokens");
    }
    body.put("model", input.model());
    body.putArray("output");
    body.put("parallel_tool_calls", true);
    body.putNull("previous_response_id");
    body.putObject("reasoning").putNull("effort").putNull("summary");
    body.put("store", true);
    body.put("temperature", 1.0);
    body.putObject("text").putObject("format").put("type", "text");
    body.put("tool_choice", "auto");
    body.putArray("tools");
    body.put("top_p", 1.0);
    body.put("truncation", "disabled");
    body.putNull("usage");
    body.putNull("user");
    body.putObject("metadata");
    return body;
  }

  private static ArrayNode output(FakeAnswer answer, long sequence, String status) {
    ArrayNode output = JSON.arrayNode();
    if (answer instanceof FakeAnswer.ToolCall call) {
      output.addObject()
          .put("type", "function_call")
          .put("id", "fc_fake_" + ProviderApi.id(sequence))
          .put("call_id", "call_fake_" + ProviderApi.id(sequence))
          .put("name", call.name())
          .put("arguments", status.equals("completed") ? call.argumentsJson() : "")
          .put("status", status);
    } else {
      FakeAnswer.Text text = (FakeAnswer.Text) answer;
      ObjectNode message = output.addObject()
          .put("type", "message")
          .put("id", "msg_fake_" + ProviderApi.id(sequence))
          .put("status", status)
          .put("role", "assistant");
      ArrayNode content = message.putArray("content");
      if (status.equals("completed")) {
        content.add(outputText(text.text()));
      }
    }
    return output;
  }

  private static ObjectNode outputText(String text) {
    ObjectNode part = JSON.objectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    return part;
  }

  private static ObjectNode usage(ChatInput input, FakeAnswer answer) {
    ObjectNode usage = JSON.objectNode();
    usage.put("input_tokens", input.inputTokens());
    usage.putObject("input_tokens_details").put("cached_tokens", 0);
    usage.put("output_tokens", answer.outputTokens());
    usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
    usage.put("total_tokens", input.inputTokens() + answer.outputTokens());
    return usage;
  }
}

package dev.tollway.edge.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.ContentPart;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.llm.ToolCall;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.serde.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Non-streamed Responses API answers: the {@code response} object, both ways. Decoding reads the
 * {@code output} items ({@code message} text and refusals, {@code function_call}, {@code reasoning}
 * summaries), the status ({@code incomplete} with {@code max_output_tokens} is a length finish) and the usage.
 * Encoding writes the same shape, with every field OpenAI's SDKs require.
 */
final class ResponsesAnswers {

  private final Clock clock;
  private final IdSource ids;

  ResponsesAnswers(Clock clock, IdSource ids) {
    this.clock = clock;
    this.ids = ids;
  }

  ChatResponse decode(JsonNode body) {
    JsonNode output = body.get("output");
    if (!body.isObject() || output == null || !output.isArray()) {
      throw UpstreamErrors.malformed("openai", "a response without output");
    }
    if ("failed".equals(Fields.text(body, "status"))) {
      JsonNode error = body.get("error");
      throw new GatewayException(ErrorReason.UPSTREAM_ERROR,
          "openai response failed: " + (error == null ? "no message" : String.valueOf(Fields.text(error, "message"))));
    }
    List<ContentPart> content = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode item : output) {
      String type = Fields.text(item, "type");
      if ("message".equals(type)) {
        for (JsonNode part : item.path("content")) {
          String text = "refusal".equals(Fields.text(part, "type")) ? Fields.text(part, "refusal") : Fields.text(part, "text");
          if (text != null && !text.isEmpty()) {
            content.add(new ContentPart.Text(text));
          }
        }
      } else if ("function_call".equals(type)) {
        String name = Fields.text(item, "name");
        if (name != null) {
          String callId = Fields.text(item, "call_id");
          String arguments = Fields.text(item, "arguments");
          calls.add(new ToolCall(callId == null ? ids.next("call_") : callId, name, arguments == null ? "" : arguments));
        }
      } else if ("reasoning".equals(type)) {
        StringBuilder text = new StringBuilder();
        for (JsonNode summary : item.path("summary")) {
          String part = Fields.text(summary, "text");
          if (part != null) {
            text.append(part);
          }
        }
        if (text.length() > 0) {
          content.add(new ContentPart.Reasoning(text.toString(), null));
        }
      }
    }
    JsonNode created = body.get("created_at");
    return new ChatResponse(
        Fields.text(body, "id"),
        Fields.text(body, "model"),
        content,
        calls,
        finishReason(body, !calls.isEmpty()),
        ResponsesUsage.decode(body.get("usage")),
        created != null && created.isNumber() ? created.longValue() : null,
        ChatFormat.OPENAI_RESPONSES,
        body);
  }

  /** The finish of a response by its status: incomplete for length or content filter, else stop or tool calls. */
  static FinishReason finishReason(JsonNode response, boolean calledTools) {
    if ("incomplete".equals(Fields.text(response, "status"))) {
      String reason = Fields.text(response.path("incomplete_details"), "reason");
      return "content_filter".equals(reason) ? FinishReason.content_filter : FinishReason.length;
    }
    return calledTools ? FinishReason.tool_calls : FinishReason.stop;
  }

  ObjectNode encode(ChatResponse response, ChatRequest request) {
    if (response.format() == ChatFormat.OPENAI_RESPONSES && response.original() instanceof ObjectNode original) {
      return original.deepCopy();
    }
    String model = response.model() != null ? response.model() : request.model();
    ObjectNode body = skeleton(
        response.id() != null ? "resp_" + stripPrefix(response.id()) : ids.next("resp_"),
        model,
        response.created() != null ? response.created() : clock.instant().getEpochSecond(),
        request);
    ArrayNode output = body.putArray("output");
    StringBuilder reasoning = new StringBuilder();
    StringBuilder text = new StringBuilder();
    for (ContentPart part : response.content()) {
      if (part instanceof ContentPart.Text t) {
        text.append(t.text());
      } else if (part instanceof ContentPart.Reasoning r) {
        reasoning.append(r.text());
      }
    }
    if (reasoning.length() > 0) {
      output.add(reasoningItem(ids.next("rs_"), reasoning.toString()));
    }
    if (text.length() > 0 || response.toolCalls().isEmpty()) {
      output.add(messageItem(ids.next("msg_"), text.toString(), "completed"));
    }
    for (ToolCall call : response.toolCalls()) {
      output.add(functionCallItem(ids.next("fc_"), call.id(), call.name(), call.arguments(), "completed"));
    }
    finish(body, response.finishReason(), response.usage());
    return body;
  }

  /** Sets status, {@code incomplete_details} and {@code usage} of a response object for how it finished. */
  static void finish(ObjectNode body, @Nullable FinishReason reason, @Nullable TokenCounts usage) {
    if (reason == FinishReason.length || reason == FinishReason.content_filter) {
      body.put("status", "incomplete");
      body.putObject("incomplete_details")
          .put("reason", reason == FinishReason.length ? "max_output_tokens" : "content_filter");
    } else {
      body.put("status", "completed");
      body.putNull("incomplete_details");
    }
    if (usage != null) {
      body.set("usage", ResponsesUsage.encode(usage));
    } else {
      body.putNull("usage");
    }
  }

  /** A response object without output, status or usage, echoing the request's settings. */
  static ObjectNode skeleton(String id, @Nullable String model, long createdAt, ChatRequest request) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("id", id);
    body.put("object", "response");
    body.put("created_at", createdAt);
    body.put("status", "in_progress");
    body.putNull("access_programs");
    body.putNull("error");
    body.putNull("incomplete_details");
    JsonNode original = request.original();
    JsonNode instructions = original.get("instructions");
    if (request.format() == ChatFormat.OPENAI_RESPONSES && instructions != null && instructions.isTextual()) {
      body.set("instructions", instructions);
    } else {
      body.putNull("instructions");
    }
    if (request.params().maxTokens() != null) {
      body.put("max_output_tokens", request.params().maxTokens());
    } else {
      body.putNull("max_output_tokens");
    }
    JsonNode metadata = original.get("metadata");
    body.set("metadata", metadata != null && metadata.isObject() ? metadata : Json.mapper().createObjectNode());
    if (model != null) {
      body.put("model", model);
    }
    body.putArray("output");
    Boolean parallel = request.toolChoice() == null ? null : request.toolChoice().parallel();
    body.put("parallel_tool_calls", parallel == null || parallel);
    body.putNull("previous_response_id");
    ObjectNode reasoning = body.putObject("reasoning");
    if (request.params().reasoningEffort() != null) {
      reasoning.put("effort", request.params().reasoningEffort());
    } else {
      reasoning.putNull("effort");
    }
    reasoning.putNull("summary");
    body.put("store", false);
    body.put("temperature", request.params().temperature() == null ? 1.0 : request.params().temperature());
    ObjectNode format = body.putObject("text").putObject("format");
    JsonNode responseFormat = request.params().responseFormat();
    if (responseFormat == null) {
      format.put("type", "text");
    } else if ("json_schema".equals(responseFormat.path("type").asText())) {
      JsonNode schema = responseFormat.path("json_schema");
      format.put("type", "json_schema").put("name", schema.path("name").asText("response"));
      format.set("schema", schema.path("schema"));
      format.put("strict", schema.path("strict").asBoolean(false));
    } else {
      format.put("type", "json_object");
    }
    var choice = request.toolChoice();
    if (choice != null && choice.mode() == dev.tollway.edge.llm.ToolChoice.Mode.tool && choice.name() != null) {
      body.putObject("tool_choice").put("type", "function").put("name", choice.name());
    } else {
      body.put("tool_choice", choice == null || choice.mode() == dev.tollway.edge.llm.ToolChoice.Mode.tool
          ? "auto" : choice.mode().name());
    }
    ArrayNode tools = body.putArray("tools");
    for (var tool : request.tools()) {
      ObjectNode entry = tools.addObject().put("type", "function").put("name", tool.name());
      if (tool.description() != null) {
        entry.put("description", tool.description());
      } else {
        entry.putNull("description");
      }
      entry.set("parameters", tool.parameters());
      entry.put("strict", false);
    }
    body.put("top_p", request.params().topP() == null ? 1.0 : request.params().topP());
    body.put("truncation", "disabled");
    body.putNull("usage");
    if (request.params().user() != null) {
      body.put("user", request.params().user());
    } else {
      body.putNull("user");
    }
    return body;
  }

  static ObjectNode messageItem(String id, String text, String status) {
    ObjectNode item = Json.mapper().createObjectNode();
    item.put("type", "message").put("id", id).put("status", status).put("role", "assistant");
    ArrayNode content = item.putArray("content");
    if (status.equals("completed")) {
      content.add(outputText(text));
    }
    return item;
  }

  static ObjectNode outputText(String text) {
    ObjectNode part = Json.mapper().createObjectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  static ObjectNode functionCallItem(String id, String callId, String name, String arguments, String status) {
    return Json.mapper().createObjectNode()
        .put("type", "function_call")
        .put("id", id)
        .put("call_id", callId)
        .put("name", name)
        .put("arguments", arguments)
        .put("status", status);
  }

  static ObjectNode reasoningItem(String id, @Nullable String summary) {
    ObjectNode item = Json.mapper().createObjectNode().put("type", "reasoning").put("id", id);
    ArrayNode parts = item.putArray("summary");
    if (summary != null) {
      parts.addObject().put("type", "summary_text").put("text", summary);
    }
    return item;
  }

  /** A provider's id without its own prefix ({@code msg_01...} → {@code 01...}), to carry it into a resp_ id. */
  private static String stripPrefix(String id) {
    int underscore = id.indexOf('_');
    int dash = id.indexOf('-');
    int cut = underscore >= 0 && (dash < 0 || underscore < dash) ? underscore : dash;
    return cut >= 0 && cut < id.length() - 1 ? id.substring(cut + 1) : id;
  }
}

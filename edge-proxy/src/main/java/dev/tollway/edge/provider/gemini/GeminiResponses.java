package dev.tollway.edge.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.ContentPart;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.ToolCall;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.edge.provider.wire.ToolArguments;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.serde.Json;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Non-streamed Gemini answers: the {@code GenerateContentResponse}, both ways. */
final class GeminiResponses {

  private final IdSource ids;

  GeminiResponses(IdSource ids) {
    this.ids = ids;
  }

  ChatResponse decode(JsonNode body) {
    JsonNode candidates = body.get("candidates");
    boolean blocked = body.path("promptFeedback").hasNonNull("blockReason");
    if (!body.isObject() || ((candidates == null || !candidates.isArray()) && !blocked)) {
      throw UpstreamErrors.malformed("gemini", "a body without candidates");
    }
    List<ContentPart> content = new ArrayList<>();
    List<ToolCall> toolCalls = new ArrayList<>();
    FinishReason finish = blocked ? FinishReason.content_filter : null;
    if (candidates != null && candidates.isArray() && !candidates.isEmpty()) {
      JsonNode candidate = candidates.get(0);
      for (JsonNode part : candidate.path("content").path("parts")) {
        String text = Fields.text(part, "text");
        if (text != null) {
          if (part.path("thought").asBoolean(false)) {
            content.add(new ContentPart.Reasoning(text, Fields.text(part, "thoughtSignature")));
          } else {
            content.add(new ContentPart.Text(text));
          }
        }
        JsonNode call = part.get("functionCall");
        if (call != null && call.isObject() && Fields.text(call, "name") != null) {
          String id = Fields.text(call, "id");
          toolCalls.add(
              new ToolCall(id == null ? ids.next("call_") : id, Fields.text(call, "name"), ToolArguments.text(call.path("args"))));
        }
      }
      finish = finishReason(Fields.text(candidate, "finishReason"), !toolCalls.isEmpty());
    }
    return new ChatResponse(
        Fields.text(body, "responseId"),
        Fields.text(body, "modelVersion"),
        content,
        toolCalls,
        finish,
        GeminiUsage.decode(body.get("usageMetadata")),
        null,
        ChatFormat.GEMINI_GENERATE_CONTENT,
        body);
  }

  static @Nullable FinishReason finishReason(@Nullable String value, boolean calledTools) {
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "MAX_TOKENS" -> FinishReason.length;
      case "SAFETY", "RECITATION", "LANGUAGE", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" ->
          FinishReason.content_filter;
      default -> calledTools ? FinishReason.tool_calls : FinishReason.stop;
    };
  }

  static String finishReason(@Nullable FinishReason finish) {
    if (finish == null) {
      return "STOP";
    }
    return switch (finish) {
      case stop, tool_calls -> "STOP";
      case length -> "MAX_TOKENS";
      case content_filter -> "SAFETY";
    };
  }

  ObjectNode encode(ChatResponse response, ChatRequest request) {
    if (response.format() == ChatFormat.GEMINI_GENERATE_CONTENT && response.original() instanceof ObjectNode original) {
      return original.deepCopy();
    }
    ObjectNode body = Json.mapper().createObjectNode();
    ObjectNode candidate = body.putArray("candidates").addObject();
    ArrayNode parts = candidate.putObject("content").putArray("parts");
    for (ContentPart part : response.content()) {
      if (part instanceof ContentPart.Reasoning reasoning) {
        parts.addObject().put("text", reasoning.text()).put("thought", true);
      } else if (part instanceof ContentPart.Text text) {
        parts.addObject().put("text", text.text());
      }
    }
    for (ToolCall call : response.toolCalls()) {
      parts.add(functionCallPart(call.name(), call.arguments()));
    }
    ((ObjectNode) candidate.get("content")).put("role", "model");
    candidate.put("finishReason", finishReason(response.finishReason()));
    candidate.put("index", 0);
    if (response.usage() != null) {
      body.set("usageMetadata", GeminiUsage.encode(response.usage()));
    }
    String model = response.model() != null ? response.model() : request.model();
    if (model != null) {
      body.put("modelVersion", model);
    }
    body.put("responseId", response.id() != null ? response.id() : ids.next(""));
    return body;
  }

  static ObjectNode functionCallPart(String name, String arguments) {
    ObjectNode part = Json.mapper().createObjectNode();
    ObjectNode call = part.putObject("functionCall").put("name", name);
    call.set(
        "args",
        ToolArguments.parse(arguments)
            .orElseThrow(
                () -> UpstreamErrors.malformed("the provider", "a tool call whose arguments are not a JSON object")));
    return part;
  }
}

package dev.tollway.edge.provider.openai;

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
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.serde.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Non-streamed OpenAI answers: the {@code chat.completion} object, both ways. */
final class OpenAiResponses {

  private final Clock clock;
  private final IdSource ids;

  OpenAiResponses(Clock clock, IdSource ids) {
    this.clock = clock;
    this.ids = ids;
  }

  ChatResponse decode(JsonNode body) {
    JsonNode choices = body.get("choices");
    if (!body.isObject() || choices == null || !choices.isArray()) {
      throw UpstreamErrors.malformed("openai", "a body without choices");
    }
    JsonNode message = choices.isEmpty() ? null : choices.get(0).get("message");
    List<ContentPart> content = new ArrayList<>();
    List<ToolCall> toolCalls = new ArrayList<>();
    if (message != null) {
      String reasoning = Fields.text(message, "reasoning_content");
      if (reasoning != null && !reasoning.isEmpty()) {
        content.add(new ContentPart.Reasoning(reasoning, null));
      }
      String text = Fields.text(message, "content");
      if (text == null) {
        text = Fields.text(message, "refusal");
      }
      if (text != null && !text.isEmpty()) {
        content.add(new ContentPart.Text(text));
      }
      JsonNode calls = message.get("tool_calls");
      if (calls != null && calls.isArray()) {
        for (JsonNode call : calls) {
          JsonNode function = call.get("function");
          String name = Fields.text(function, "name");
          if (name == null) {
            continue;
          }
          String id = Fields.text(call, "id");
          String arguments = Fields.text(function, "arguments");
          toolCalls.add(new ToolCall(id == null ? ids.next("call_") : id, name, arguments == null ? "" : arguments));
        }
      }
    }
    FinishReason finish = choices.isEmpty() ? null : finishReason(Fields.text(choices.get(0), "finish_reason"));
    JsonNode created = body.get("created");
    return new ChatResponse(
        Fields.text(body, "id"),
        Fields.text(body, "model"),
        content,
        toolCalls,
        finish,
        OpenAiUsage.decode(body.get("usage")),
        created != null && created.canConvertToLong() ? created.longValue() : null,
        ChatFormat.OPENAI_CHAT,
        body);
  }

  static @Nullable FinishReason finishReason(@Nullable String value) {
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "length" -> FinishReason.length;
      case "tool_calls", "function_call" -> FinishReason.tool_calls;
      case "content_filter" -> FinishReason.content_filter;
      default -> FinishReason.stop;
    };
  }

  ObjectNode encode(ChatResponse response, ChatRequest request) {
    if (response.format() == ChatFormat.OPENAI_CHAT && response.original() instanceof ObjectNode original) {
      return original.deepCopy();
    }
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("id", response.id() != null ? response.id() : ids.next("chatcmpl-"));
    body.put("object", "chat.completion");
    body.put("created", response.created() != null ? response.created() : clock.instant().getEpochSecond());
    String model = response.model() != null ? response.model() : request.model();
    if (model != null) {
      body.put("model", model);
    }
    ArrayNode choices = body.putArray("choices");
    ObjectNode choice = choices.addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    for (ContentPart part : response.content()) {
      if (part instanceof ContentPart.Text t) {
        text.append(t.text());
      } else if (part instanceof ContentPart.Reasoning r) {
        reasoning.append(r.text());
      }
    }
    if (text.length() == 0 && !response.toolCalls().isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", text.toString());
    }
    if (reasoning.length() > 0) {
      message.put("reasoning_content", reasoning.toString());
    }
    if (!response.toolCalls().isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      for (ToolCall call : response.toolCalls()) {
        ObjectNode entry = calls.addObject().put("id", call.id()).put("type", "function");
        entry.putObject("function").put("name", call.name()).put("arguments", call.arguments());
      }
    }
    message.putNull("refusal");
    choice.putNull("logprobs");
    FinishReason finish = response.finishReason();
    if (finish == null) {
      finish = response.toolCalls().isEmpty() ? FinishReason.stop : FinishReason.tool_calls;
    }
    choice.put("finish_reason", finish.name());
    if (response.usage() != null) {
      body.set("usage", OpenAiUsage.encode(response.usage()));
    }
    return body;
  }
}

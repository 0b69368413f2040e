package dev.tollway.edge.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.ContentPart;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.ToolCall;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.ToolArguments;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Non-streamed Converse answers: {@code output.message.content} blocks {@code text}, {@code toolUse} and
 * {@code reasoningContent.reasoningText} (redacted reasoning has no neutral form), {@code stopReason} and
 * {@code usage}. Converse names neither the answer nor the model in its body.
 */
final class BedrockResponses {

  private BedrockResponses() {}

  static ChatResponse decode(JsonNode body) {
    JsonNode content = body.path("output").path("message").path("content");
    if (!body.isObject() || !content.isArray()) {
      throw UpstreamErrors.malformed("bedrock", "a body without output.message.content");
    }
    List<ContentPart> parts = new ArrayList<>();
    List<ToolCall> toolCalls = new ArrayList<>();
    for (JsonNode block : content) {
      String text = Fields.text(block, "text");
      if (text != null) {
        parts.add(new ContentPart.Text(text));
        continue;
      }
      JsonNode use = block.get("toolUse");
      if (use != null && use.isObject()) {
        String id = Fields.text(use, "toolUseId");
        String name = Fields.text(use, "name");
        if (id != null && name != null) {
          toolCalls.add(new ToolCall(id, name, ToolArguments.text(use.path("input"))));
        }
        continue;
      }
      JsonNode reasoning = block.path("reasoningContent").get("reasoningText");
      if (reasoning != null && reasoning.isObject()) {
        String thinking = Fields.text(reasoning, "text");
        parts.add(new ContentPart.Reasoning(thinking == null ? "" : thinking, Fields.text(reasoning, "signature")));
      }
    }
    return new ChatResponse(
        null,
        null,
        parts,
        toolCalls,
        finishReason(Fields.text(body, "stopReason")),
        BedrockUsage.decode(body.get("usage")),
        null,
        ChatFormat.BEDROCK_CONVERSE,
        body);
  }

  /**
   * {@code end_turn} and {@code stop_sequence} are a normal stop; {@code tool_use} tool calls;
   * {@code max_tokens} and {@code model_context_window_exceeded} the length limit;
   * {@code guardrail_intervened} and {@code content_filtered} a content filter; anything else (such as
   * {@code malformed_model_output}) a stop.
   */
  static @Nullable FinishReason finishReason(@Nullable String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "tool_use" -> FinishReason.tool_calls;
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.length;
      case "guardrail_intervened", "content_filtered" -> FinishReason.content_filter;
      default -> FinishReason.stop;
    };
  }
}

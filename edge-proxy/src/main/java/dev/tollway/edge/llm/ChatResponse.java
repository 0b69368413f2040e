package dev.tollway.edge.llm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A complete (non-streamed) chat answer.
 *
 * @param id the provider's response id
 * @param model the model that answered
 * @param content text and reasoning parts of the answer, in order
 * @param toolCalls tool calls of the answer
 * @param finishReason why the model stopped
 * @param usage token counts, if the provider reported them
 * @param created when the answer was created (epoch seconds), if known
 * @param format the wire format the response was decoded from
 * @param original the provider's body as received
 */
public record ChatResponse(
    @Nullable String id,
    @Nullable String model,
    List<ContentPart> content,
    List<ToolCall> toolCalls,
    @Nullable FinishReason finishReason,
    @Nullable TokenCounts usage,
    @Nullable Long created,
    ChatFormat format,
    JsonNode original) {

  public ChatResponse {
    content = List.copyOf(content);
    toolCalls = List.copyOf(toolCalls);
    requireNonNull(format, "format");
    requireNonNull(original, "original");
  }
}

package dev.tollway.edge.llm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A chat request in provider-neutral form, decoded from the client's API and encoded into the provider's.
 *
 * @param model the requested model, if any
 * @param messages the conversation, system and developer messages included, in order
 * @param tools tools the model may call
 * @param toolChoice how the model may use the tools, if the client said
 * @param params sampling and length parameters
 * @param stream whether the client asked for a stream
 * @param includeUsage whether the client asked for usage in the stream (OpenAI
 *     {@code stream_options.include_usage}); the proxy always asks providers for usage
 * @param format the wire format the request was decoded from
 * @param original the request body as the client sent it, so that a provider speaking the same format gets
 *     every field, known or not
 */
public record ChatRequest(
    @Nullable String model,
    List<ChatMessage> messages,
    List<ToolDefinition> tools,
    @Nullable ToolChoice toolChoice,
    GenerationParams params,
    boolean stream,
    boolean includeUsage,
    ChatFormat format,
    JsonNode original) {

  public ChatRequest {
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
    requireNonNull(params, "params");
    requireNonNull(format, "format");
    requireNonNull(original, "original");
  }

  /** The same request for another model. */
  public ChatRequest withModel(@Nullable String newModel) {
    return new ChatRequest(newModel, messages, tools, toolChoice, params, stream, includeUsage, format, original);
  }
}

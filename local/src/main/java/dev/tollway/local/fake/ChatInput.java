package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * What a fake provider took from a valid request, whatever its API.
 *
 * @param model the requested model (from the body, or from the path for Gemini)
 * @param stream whether the answer is streamed
 * @param includeUsage OpenAI's {@code stream_options.include_usage}
 * @param inputTokens the input tokens by {@link FakeTokens}
 * @param maxOutputTokens the request's output limit, if any
 * @param toolToCall the tool to answer with a call to, or {@code null} to answer with text
 */
record ChatInput(
    String model,
    boolean stream,
    boolean includeUsage,
    int inputTokens,
    @Nullable Integer maxOutputTokens,
    @Nullable ToolSpec toolToCall) {

  ChatInput {
    requireNonNull(model, "model");
  }

  /** A tool offered by the request: its name and the JSON Schema of its arguments. */
  record ToolSpec(String name, JsonNode parameters) {
    ToolSpec {
      requireNonNull(name, "name");
      requireNonNull(parameters, "parameters");
    }
  }
}

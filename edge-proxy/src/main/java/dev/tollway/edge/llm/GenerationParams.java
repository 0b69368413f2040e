package dev.tollway.edge.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Sampling and length parameters; absent means the provider's default.
 *
 * @param maxTokens maximum output tokens (OpenAI {@code max_completion_tokens} or {@code max_tokens})
 * @param temperature sampling temperature
 * @param topP nucleus sampling
 * @param stop stop sequences
 * @param responseFormat OpenAI {@code response_format} ({@code json_object} or {@code json_schema}), as given
 * @param reasoningEffort OpenAI {@code reasoning_effort} ({@code low}, {@code medium}, {@code high})
 * @param reasoningBudgetTokens a thinking budget in tokens (Anthropic / Gemini)
 * @param seed sampling seed
 * @param user an end-user id the client passed
 */
public record GenerationParams(
    @Nullable Long maxTokens,
    @Nullable Double temperature,
    @Nullable Double topP,
    List<String> stop,
    @Nullable JsonNode responseFormat,
    @Nullable String reasoningEffort,
    @Nullable Long reasoningBudgetTokens,
    @Nullable Long seed,
    @Nullable String user) {

  public GenerationParams {
    stop = List.copyOf(stop);
  }

  public static GenerationParams defaults() {
    return new GenerationParams(null, null, null, List.of(), null, null, null, null, null);
  }
}

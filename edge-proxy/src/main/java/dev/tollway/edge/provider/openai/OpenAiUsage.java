package dev.tollway.edge.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.schemas.serde.Json;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's {@code usage}: {@code prompt_tokens} already include {@code prompt_tokens_details.cached_tokens}
 * and {@code completion_tokens} include {@code completion_tokens_details.reasoning_tokens}, which is the
 * neutral meaning, so the numbers carry over as they are.
 */
final class OpenAiUsage {

  private OpenAiUsage() {}

  static @Nullable TokenCounts decode(@Nullable JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    return new TokenCounts(
        Fields.count(usage, "prompt_tokens"),
        Fields.count(usage.get("prompt_tokens_details"), "cached_tokens"),
        0,
        Fields.count(usage, "completion_tokens"),
        Fields.count(usage.get("completion_tokens_details"), "reasoning_tokens"));
  }

  static ObjectNode encode(TokenCounts counts) {
    ObjectNode usage = Json.mapper().createObjectNode();
    usage.put("prompt_tokens", counts.input());
    usage.put("completion_tokens", counts.output());
    usage.put("total_tokens", counts.total());
    usage.putObject("prompt_tokens_details").put("cached_tokens", counts.cacheRead());
    usage.putObject("completion_tokens_details").put("reasoning_tokens", counts.reasoning());
    return usage;
  }
}

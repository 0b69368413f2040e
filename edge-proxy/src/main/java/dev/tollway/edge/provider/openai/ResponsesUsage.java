package dev.tollway.edge.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.schemas.serde.Json;
import org.jspecify.annotations.Nullable;

/**
 * The Responses API's {@code usage}: {@code input_tokens} include {@code input_tokens_details.cached_tokens}
 * and {@code output_tokens} include {@code output_tokens_details.reasoning_tokens}, the neutral meaning.
 */
final class ResponsesUsage {

  private ResponsesUsage() {}

  static @Nullable TokenCounts decode(@Nullable JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    return new TokenCounts(
        Fields.count(usage, "input_tokens"),
        Fields.count(usage.get("input_tokens_details"), "cached_tokens"),
        0,
        Fields.count(usage, "output_tokens"),
        Fields.count(usage.get("output_tokens_details"), "reasoning_tokens"));
  }

  static ObjectNode encode(TokenCounts counts) {
    ObjectNode usage = Json.mapper().createObjectNode();
    usage.put("input_tokens", counts.input());
    usage.putObject("input_tokens_details").put("cached_tokens", counts.cacheRead());
    usage.put("output_tokens", counts.output());
    usage.putObject("output_tokens_details").put("reasoning_tokens", counts.reasoning());
    usage.put("total_tokens", counts.total());
    return usage;
  }
}

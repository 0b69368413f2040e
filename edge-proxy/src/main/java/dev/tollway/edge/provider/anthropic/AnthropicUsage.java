package dev.tollway.edge.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.schemas.serde.Json;

/**
 * Anthropic's {@code usage}: {@code input_tokens} exclude the cache, so the neutral input is
 * {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens}; going back,
 * {@code input_tokens} is the neutral input less both cache counts. Anthropic reports no separate thinking
 * count: {@code output_tokens} include thinking.
 */
final class AnthropicUsage {

  private AnthropicUsage() {}

  static TokenCounts decode(JsonNode usage) {
    long cacheRead = Fields.count(usage, "cache_read_input_tokens");
    long cacheWrite = Fields.count(usage, "cache_creation_input_tokens");
    return new TokenCounts(
        Fields.count(usage, "input_tokens") + cacheRead + cacheWrite,
        cacheRead,
        cacheWrite,
        Fields.count(usage, "output_tokens"),
        0);
  }

  /** {@code input_tokens} for an Anthropic client: the cache-exclusive part of the input. */
  static long uncachedInput(TokenCounts counts) {
    return Math.max(0, counts.input() - counts.cacheRead() - counts.cacheWrite());
  }

  static ObjectNode encode(TokenCounts counts) {
    ObjectNode usage = Json.mapper().createObjectNode();
    usage.put("input_tokens", uncachedInput(counts));
    usage.put("cache_creation_input_tokens", counts.cacheWrite());
    usage.put("cache_read_input_tokens", counts.cacheRead());
    usage.put("output_tokens", counts.output());
    return usage;
  }
}

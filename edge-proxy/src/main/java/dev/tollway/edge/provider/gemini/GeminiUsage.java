package dev.tollway.edge.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.schemas.serde.Json;
import org.jspecify.annotations.Nullable;

/**
 * Gemini's {@code usageMetadata}: {@code promptTokenCount} includes {@code cachedContentTokenCount} (the
 * neutral input as it is); output is {@code candidatesTokenCount + thoughtsTokenCount}, reasoning
 * {@code thoughtsTokenCount}.
 */
final class GeminiUsage {

  private GeminiUsage() {}

  static @Nullable TokenCounts decode(@Nullable JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long thoughts = Fields.count(usage, "thoughtsTokenCount");
    return new TokenCounts(
        Fields.count(usage, "promptTokenCount"),
        Fields.count(usage, "cachedContentTokenCount"),
        0,
        Fields.count(usage, "candidatesTokenCount") + thoughts,
        thoughts);
  }

  static ObjectNode encode(TokenCounts counts) {
    ObjectNode usage = Json.mapper().createObjectNode();
    usage.put("promptTokenCount", counts.input());
    usage.put("candidatesTokenCount", Math.max(0, counts.output() - counts.reasoning()));
    usage.put("totalTokenCount", counts.total());
    if (counts.cacheRead() > 0) {
      usage.put("cachedContentTokenCount", counts.cacheRead());
    }
    if (counts.reasoning() > 0) {
      usage.put("thoughtsTokenCount", counts.reasoning());
    }
    return usage;
  }
}

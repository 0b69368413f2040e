package dev.tollway.edge.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.Fields;
import org.jspecify.annotations.Nullable;

/**
 * Bedrock's {@code usage}: {@code inputTokens} exclude the prompt cache (as Anthropic's do), so the neutral
 * input is {@code inputTokens + cacheReadInputTokens + cacheWriteInputTokens}; {@code outputTokens} include
 * any reasoning, and Converse reports no separate reasoning count.
 */
final class BedrockUsage {

  private BedrockUsage() {}

  static @Nullable TokenCounts decode(@Nullable JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long cacheRead = Fields.count(usage, "cacheReadInputTokens");
    long cacheWrite = Fields.count(usage, "cacheWriteInputTokens");
    return new TokenCounts(
        Fields.count(usage, "inputTokens") + cacheRead + cacheWrite,
        cacheRead,
        cacheWrite,
        Fields.count(usage, "outputTokens"),
        0);
  }
}

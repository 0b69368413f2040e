package dev.tollway.edge.provider.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.llm.TokenCounts;
import org.jspecify.annotations.Nullable;

/**
 * Token counts found in any provider answer or stream event Tollway knows, whatever the API, with the
 * neutral meaning (input cache-inclusive, output reasoning-inclusive) — for answers relayed untouched
 * ({@code Passthrough}): OpenAI's {@code usage} ({@code prompt_tokens}: chat completions, embeddings), the
 * Responses API's ({@code input_tokens} with {@code *_details} or {@code total_tokens}, top level or in an
 * event's {@code response}), Anthropic's ({@code input_tokens} without the cache, top level or in
 * {@code message_start}'s {@code message}), Bedrock's ({@code inputTokens}) and Gemini's
 * {@code usageMetadata}.
 */
public final class UsageShapes {

  private UsageShapes() {}

  /** The counts in one answer or event, or null when it carries none. */
  public static @Nullable TokenCounts find(@Nullable JsonNode json) {
    if (json == null || !json.isObject()) {
      return null;
    }
    JsonNode gemini = json.get("usageMetadata");
    if (gemini != null && gemini.isObject()) {
      long thoughts = Fields.count(gemini, "thoughtsTokenCount");
      return new TokenCounts(
          Fields.count(gemini, "promptTokenCount"),
          Fields.count(gemini, "cachedContentTokenCount"),
          0,
          Fields.count(gemini, "candidatesTokenCount") + thoughts,
          thoughts);
    }
    for (JsonNode holder : new JsonNode[] {json, json.get("response"), json.get("message")}) {
      if (holder != null && holder.isObject()) {
        JsonNode usage = holder.get("usage");
        if (usage != null && usage.isObject()) {
          TokenCounts counts = usage(usage);
          if (counts != null) {
            return counts;
          }
        }
      }
    }
    return null;
  }

  private static @Nullable TokenCounts usage(JsonNode usage) {
    if (usage.has("prompt_tokens") || usage.has("completion_tokens")) {
      return new TokenCounts(
          Fields.count(usage, "prompt_tokens"),
          Fields.count(usage.get("prompt_tokens_details"), "cached_tokens"),
          0,
          Fields.count(usage, "completion_tokens"),
          Fields.count(usage.get("completion_tokens_details"), "reasoning_tokens"));
    }
    if (usage.has("inputTokens") || usage.has("outputTokens")) {
      long read = Fields.count(usage, "cacheReadInputTokens");
      long write = Fields.count(usage, "cacheWriteInputTokens");
      return new TokenCounts(Fields.count(usage, "inputTokens") + read + write, read, write,
          Fields.count(usage, "outputTokens"), 0);
    }
    if (usage.has("input_tokens") || usage.has("output_tokens")) {
      if (usage.has("input_tokens_details") || usage.has("output_tokens_details") || usage.has("total_tokens")) {
        return new TokenCounts(
            Fields.count(usage, "input_tokens"),
            Fields.count(usage.get("input_tokens_details"), "cached_tokens"),
            0,
            Fields.count(usage, "output_tokens"),
            Fields.count(usage.get("output_tokens_details"), "reasoning_tokens"));
      }
      long read = Fields.count(usage, "cache_read_input_tokens");
      long write = Fields.count(usage, "cache_creation_input_tokens");
      return new TokenCounts(Fields.count(usage, "input_tokens") + read + write, read, write,
          Fields.count(usage, "output_tokens"), 0);
    }
    return null;
  }

  /**
   * Counts seen so far in a stream combined with a new event's: each field the larger, since every stream
   * Tollway knows reports cumulative counts (Anthropic's input at the start and output at the end, Gemini's
   * in every chunk, OpenAI's once).
   */
  public static TokenCounts merge(@Nullable TokenCounts seen, TokenCounts next) {
    if (seen == null) {
      return next;
    }
    return new TokenCounts(
        Math.max(seen.input(), next.input()),
        Math.max(seen.cacheRead(), next.cacheRead()),
        Math.max(seen.cacheWrite(), next.cacheWrite()),
        Math.max(seen.output(), next.output()),
        Math.max(seen.reasoning(), next.reasoning()));
  }

  /** The model an answer or event names ({@code model}, {@code message.model}, {@code response.model}, Gemini's {@code modelVersion}). */
  public static @Nullable String model(@Nullable JsonNode json) {
    if (json == null || !json.isObject()) {
      return null;
    }
    String model = Fields.text(json, "model");
    if (model == null) {
      model = Fields.text(json.get("message"), "model");
    }
    if (model == null) {
      model = Fields.text(json.get("response"), "model");
    }
    if (model == null) {
      model = Fields.text(json, "modelVersion");
    }
    return model == null || model.isBlank() ? null : model;
  }

  /**
   * Whether an event ends its stream in one of the APIs Tollway knows: OpenAI's {@code [DONE]} is told
   * apart by the caller; here Anthropic's {@code message_stop}, the Responses API's
   * {@code response.completed} / {@code response.incomplete}, and a Gemini chunk with a {@code finishReason}.
   */
  public static boolean endsStream(@Nullable JsonNode json) {
    if (json == null || !json.isObject()) {
      return false;
    }
    String type = Fields.text(json, "type");
    if ("message_stop".equals(type) || "response.completed".equals(type) || "response.incomplete".equals(type)) {
      return true;
    }
    for (JsonNode candidate : json.path("candidates")) {
      if (Fields.text(candidate, "finishReason") != null) {
        return true;
      }
    }
    return false;
  }
}

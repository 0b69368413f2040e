package dev.tollway.edge.pipeline;

import java.util.Map;

/**
 * The AI route type of a request path from a backend's {@code spec.policies.ai.routes} map: the longest
 * path suffix that the path ends with, {@code *} last; an empty map (or no match) means {@code Completions},
 * as in agentgateway.
 */
final class RouteTypes {

  /** OpenAI {@code /v1/chat/completions}. */
  static final String COMPLETIONS = "Completions";
  /** Anthropic {@code /v1/messages}. */
  static final String MESSAGES = "Messages";
  /** OpenAI {@code /v1/responses}. */
  static final String RESPONSES = "Responses";
  /** OpenAI {@code /v1/embeddings}. */
  static final String EMBEDDINGS = "Embeddings";
  /** OpenAI {@code /v1/models} (Anthropic's and Gemini's lists too), answered by the gateway. */
  static final String MODELS = "Models";
  /** Anthropic {@code /v1/messages/count_tokens}. */
  static final String ANTHROPIC_TOKEN_COUNT = "AnthropicTokenCount";
  /** Gemini {@code :generateContent} / {@code :streamGenerateContent}. */
  static final String GENERATE_CONTENT = "GenerateContent";
  /** Gemini {@code :countTokens}. */
  static final String GEMINI_COUNT_TOKENS = "GeminiCountTokens";
  /** Forwarded untouched, metered when the answer carries usage. */
  static final String PASSTHROUGH = "Passthrough";
  /** As passthrough (agentgateway detects the API to meter it; Tollway meters any usage it recognises). */
  static final String DETECT = "Detect";

  private RouteTypes() {}

  static String resolve(Map<String, String> routes, String path) {
    String best = null;
    String type = null;
    for (Map.Entry<String, String> route : routes.entrySet()) {
      String suffix = route.getKey();
      if (suffix.equals("*")) {
        continue;
      }
      if (path.endsWith(suffix) && (best == null || suffix.length() > best.length())) {
        best = suffix;
        type = route.getValue();
      }
    }
    if (type != null) {
      return type;
    }
    return routes.getOrDefault("*", COMPLETIONS);
  }
}

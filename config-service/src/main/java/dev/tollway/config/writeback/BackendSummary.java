package dev.tollway.config.writeback;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code kubectl get agentgatewaybackend} shows in its Provider column ({@code status.provider}). */
final class BackendSummary {

  private static final List<String> PROVIDERS =
      List.of("openai", "anthropic", "gemini", "vertexai", "bedrock", "azureopenai");
  private static final List<String> TYPES = List.of("static", "mcp", "dynamicForwardProxy", "aws", "a2a");

  private BackendSummary() {}

  /**
   * The provider types of an AI backend in priority order ({@code gemini}; {@code openai,anthropic} for groups),
   * or the backend type for others ({@code static}, {@code mcp}); empty when the spec names none.
   */
  static String providers(GenericKubernetesResource backend) {
    if (!(backend.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)) {
      return "";
    }
    if (spec.get("ai") instanceof Map<?, ?> ai) {
      List<String> found = new ArrayList<>();
      if (ai.get("provider") instanceof Map<?, ?> provider) {
        add(provider, found);
      }
      if (ai.get("groups") instanceof List<?> groups) {
        for (Object group : groups) {
          if (group instanceof Map<?, ?> g && g.get("providers") instanceof List<?> providers) {
            for (Object p : providers) {
              if (p instanceof Map<?, ?> provider) {
                add(provider, found);
              }
            }
          }
        }
      }
      return String.join(",", found);
    }
    return TYPES.stream().filter(spec::containsKey).findFirst().orElse("");
  }

  private static void add(Map<?, ?> provider, List<String> found) {
    PROVIDERS.stream().filter(provider::containsKey).filter(t -> !found.contains(t)).forEach(found::add);
  }
}

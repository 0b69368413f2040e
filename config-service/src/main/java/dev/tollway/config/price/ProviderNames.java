package dev.tollway.config.price;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The provider names of prices: the OpenTelemetry {@code gen_ai.provider.name} values Tollway's usage events
 * carry, and how LiteLLM's {@code litellm_provider} values and entry-name prefixes map onto them.
 */
public final class ProviderNames {

  public static final String OPENAI = "openai";
  public static final String ANTHROPIC = "anthropic";
  public static final String GEMINI = "gcp.gemini";
  public static final String VERTEX_AI = "gcp.vertex_ai";
  public static final String BEDROCK = "aws.bedrock";
  public static final String AZURE_OPENAI = "azure.ai.openai";

  /** Every provider name a price may have. */
  public static final SortedSet<String> ALL = Collections.unmodifiableSortedSet(
      new TreeSet<>(List.of(OPENAI, ANTHROPIC, GEMINI, VERTEX_AI, BEDROCK, AZURE_OPENAI)));

  private ProviderNames() {}

  /**
   * The provider of a LiteLLM {@code litellm_provider} value: {@code openai} and {@code text-completion-openai}
   * → {@code openai}; {@code anthropic}; {@code gemini} → {@code gcp.gemini}; {@code vertex_ai} and every
   * {@code vertex_ai-*} → {@code gcp.vertex_ai}; {@code bedrock} and {@code bedrock_converse} →
   * {@code aws.bedrock}; {@code azure} and {@code azure_text} → {@code azure.ai.openai}. Empty for the other
   * providers of the table, which Tollway does not call.
   */
  public static Optional<String> fromLiteLlm(String litellmProvider) {
    return Optional.ofNullable(switch (litellmProvider) {
      case "openai", "text-completion-openai" -> OPENAI;
      case "anthropic" -> ANTHROPIC;
      case "gemini" -> GEMINI;
      case "bedrock", "bedrock_converse" -> BEDROCK;
      case "azure", "azure_text" -> AZURE_OPENAI;
      default -> litellmProvider.equals("vertex_ai") || litellmProvider.startsWith("vertex_ai-") ? VERTEX_AI : null;
    });
  }

  /** The prefixes LiteLLM puts before a model name to route it to the provider, longest first. */
  static List<String> liteLlmPrefixes(String provider) {
    return switch (provider) {
      case OPENAI -> List.of("text-completion-openai/", "openai/");
      case ANTHROPIC -> List.of("anthropic/");
      case GEMINI -> List.of("gemini/");
      case VERTEX_AI -> List.of("vertex_ai/");
      case BEDROCK -> List.of("bedrock_converse/", "bedrock/");
      case AZURE_OPENAI -> List.of("azure_text/", "azure/");
      default -> List.of();
    };
  }
}

package dev.tollway.config.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.config.model.InvalidSpecException;
import dev.tollway.config.model.SpecReader;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.AiBackend;
import dev.tollway.schemas.snapshot.AiBackend.FieldValue;
import dev.tollway.schemas.snapshot.AiBackend.PromptMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;

/**
 * Reads {@code spec.policies.ai} of an {@code AgentgatewayBackend} (field names as in agentgateway):
 * {@code routes} (path suffix to route type), {@code modelAliases} (exact names and {@code *} patterns),
 * {@code defaults} / {@code overrides} ({@code field} and any JSON {@code value}, at most 64, a field at most
 * once), and {@code prompt.prepend} / {@code append} ({@code role} and {@code content}; roles
 * {@code system}, {@code developer}, {@code user}, {@code assistant}, in any case). What Tollway cannot honour
 * ({@code promptGuard}, {@code transformations}, {@code promptCaching}) is refused by name.
 */
final class AiPolicyReader {

  /** The route types of agentgateway's {@code RouteType}; Tollway answers {@code Realtime} and {@code Rerank} with 501. */
  static final List<String> ROUTE_TYPES =
      List.of("AnthropicTokenCount", "Completions", "Detect", "Embeddings", "GeminiCountTokens", "GenerateContent",
          "Messages", "Models", "Passthrough", "Realtime", "Rerank", "Responses");

  private static final List<String> ROLES = List.of("system", "developer", "user", "assistant");
  private static final int MAX_FIELDS = 64;
  private static final int MAX_ALIASES = 64;

  private AiPolicyReader() {}

  static AiBackend.AiPolicy read(SpecReader ai) {
    ai.requireOnly(Set.of("routes", "modelAliases", "defaults", "overrides", "prompt"));
    SortedMap<String, String> routes = ai.stringMap("routes");
    routes.forEach((suffix, routeType) -> {
      if (!ROUTE_TYPES.contains(routeType)) {
        throw InvalidSpecException.invalid(
            ai.path("routes") + "." + suffix,
            "\"" + routeType + "\" (expected one of " + String.join(", ", ROUTE_TYPES) + ")");
      }
    });
    SortedMap<String, String> aliases = ai.stringMap("modelAliases");
    if (aliases.size() > MAX_ALIASES) {
      throw InvalidSpecException.invalid(ai.path("modelAliases"), aliases.size() + " entries (expected: at most 64)");
    }
    aliases.forEach((from, to) -> {
      if (from.isBlank() || to.isBlank()) {
        throw InvalidSpecException.invalid(ai.path("modelAliases") + "." + from, "empty (expected: a model name)");
      }
    });
    List<FieldValue> defaults = fields(ai, "defaults");
    List<FieldValue> overrides = fields(ai, "overrides");
    List<PromptMessage> prepend = List.of();
    List<PromptMessage> append = List.of();
    if (ai.has("prompt")) {
      SpecReader prompt = ai.requireObject("prompt");
      prompt.requireOnly(Set.of("prepend", "append"));
      prepend = messages(prompt, "prepend");
      append = messages(prompt, "append");
    }
    return new AiBackend.AiPolicy(routes, aliases, defaults, overrides, prepend, append);
  }

  private static List<FieldValue> fields(SpecReader ai, String name) {
    List<SpecReader> entries = ai.objects(name);
    if (entries.size() > MAX_FIELDS) {
      throw InvalidSpecException.invalid(ai.path(name), entries.size() + " entries (expected: at most 64)");
    }
    List<FieldValue> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (SpecReader entry : entries) {
      entry.requireOnly(Set.of("field", "value"));
      String field = entry.requireString("field");
      if (field.length() > 256) {
        throw InvalidSpecException.invalid(entry.path("field"), "longer than 256 characters");
      }
      if (!seen.add(field)) {
        throw InvalidSpecException.invalid(entry.path("field"), "\"" + field + "\" is set twice (expected: once)");
      }
      Object value = entry.value("value")
          .orElseThrow(() -> InvalidSpecException.invalid(entry.path("value"), "missing (expected: any JSON value)"));
      JsonNode json = Json.mapper().valueToTree(value);
      out.add(new FieldValue(field, json));
    }
    return out;
  }

  private static List<PromptMessage> messages(SpecReader prompt, String name) {
    List<PromptMessage> out = new ArrayList<>();
    for (SpecReader message : prompt.objects(name)) {
      message.requireOnly(Set.of("role", "content"));
      String role = message.requireString("role").strip().toLowerCase(Locale.ROOT);
      if (!ROLES.contains(role)) {
        throw InvalidSpecException.invalid(message.path("role"),
            "\"" + role + "\" (expected one of " + String.join(", ", ROLES) + ")");
      }
      String content = message.string("content")
          .orElseThrow(() -> InvalidSpecException.invalid(message.path("content"), "missing"));
      out.add(new PromptMessage(role, content));
    }
    return out;
  }
}

package dev.tollway.edge.aipolicy;

import static dev.tollway.edge.provider.wire.Fields.invalid;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.AiBackend.PromptMessage;
import java.util.List;

/**
 * {@code spec.policies.ai.prompt.prepend} / {@code append} on a client's chat request body, in the client's
 * own API and before it is decoded, so the messages reach every provider — the client's own API included,
 * whose body is otherwise sent as the client wrote it:
 *
 * <ul>
 *   <li>OpenAI Chat Completions: messages at the start / end of {@code messages};
 *   <li>OpenAI Responses: items at the start / end of {@code input} (a string input becomes a user item);
 *   <li>Anthropic Messages: {@code system} messages joined before / after {@code system}, the others at the
 *       start / end of {@code messages};
 *   <li>Gemini: {@code system} messages as parts before / after {@code systemInstruction}, the others as
 *       {@code contents} ({@code assistant} is Gemini's {@code model}).
 * </ul>
 *
 * Roles are {@code system}, {@code developer} (a system message outside OpenAI), {@code user} and
 * {@code assistant}.
 */
public final class PromptEnrichment {

  private PromptEnrichment() {}

  /** Adds the messages to {@code body} in place; nothing for a format without prompts. */
  public static void apply(ChatFormat format, ObjectNode body, List<PromptMessage> prepend, List<PromptMessage> append) {
    requireNonNull(format, "format");
    requireNonNull(body, "body");
    if (prepend.isEmpty() && append.isEmpty()) {
      return;
    }
    switch (format) {
      case OPENAI_CHAT -> listOf(body, "messages", prepend, append, PromptEnrichment::openAiMessage);
      case OPENAI_RESPONSES -> {
        JsonNode input = body.get("input");
        if (input != null && input.isTextual()) {
          ArrayNode items = Json.mapper().createArrayNode();
          items.addObject().put("role", "user").put("content", input.textValue());
          body.set("input", items);
        }
        listOf(body, "input", prepend, append, PromptEnrichment::openAiMessage);
      }
      case ANTHROPIC_MESSAGES -> anthropic(body, prepend, append);
      case GEMINI_GENERATE_CONTENT -> gemini(body, prepend, append);
      case BEDROCK_CONVERSE, VERTEX_AI -> {
        // provider-side formats: no client sends them
      }
    }
  }

  private interface Shape {
    ObjectNode message(PromptMessage message);
  }

  private static ObjectNode openAiMessage(PromptMessage message) {
    return Json.mapper().createObjectNode().put("role", message.role()).put("content", message.content());
  }

  /** Non-system messages at both ends of the array field; the array must exist (the decoder requires it). */
  private static void listOf(ObjectNode body, String field, List<PromptMessage> prepend, List<PromptMessage> append,
      Shape shape) {
    JsonNode existing = body.get(field);
    if (existing == null || !existing.isArray()) {
      return; // the decoder reports the missing or mistyped field in the client's terms
    }
    ArrayNode items = Json.mapper().createArrayNode();
    prepend.forEach(message -> items.add(shape.message(message)));
    items.addAll((ArrayNode) existing);
    append.forEach(message -> items.add(shape.message(message)));
    body.set(field, items);
  }

  private static boolean isSystem(PromptMessage message) {
    return message.role().equals("system") || message.role().equals("developer");
  }

  private static void anthropic(ObjectNode body, List<PromptMessage> prepend, List<PromptMessage> append) {
    List<PromptMessage> systemBefore = prepend.stream().filter(PromptEnrichment::isSystem).toList();
    List<PromptMessage> systemAfter = append.stream().filter(PromptEnrichment::isSystem).toList();
    if (!systemBefore.isEmpty() || !systemAfter.isEmpty()) {
      JsonNode system = body.get("system");
      if (system == null || system.isNull() || system.isTextual()) {
        StringBuilder text = new StringBuilder();
        systemBefore.forEach(m -> join(text, m.content()));
        if (system != null && system.isTextual()) {
          join(text, system.textValue());
        }
        systemAfter.forEach(m -> join(text, m.content()));
        body.put("system", text.toString());
      } else if (system.isArray()) {
        ArrayNode blocks = Json.mapper().createArrayNode();
        systemBefore.forEach(m -> blocks.addObject().put("type", "text").put("text", m.content()));
        blocks.addAll((ArrayNode) system);
        systemAfter.forEach(m -> blocks.addObject().put("type", "text").put("text", m.content()));
        body.set("system", blocks);
      } else {
        throw invalid("system", "expected a string or an array of text blocks");
      }
    }
    listOf(body, "messages",
        prepend.stream().filter(m -> !isSystem(m)).toList(),
        append.stream().filter(m -> !isSystem(m)).toList(),
        PromptEnrichment::openAiMessage);
  }

  private static void gemini(ObjectNode body, List<PromptMessage> prepend, List<PromptMessage> append) {
    List<PromptMessage> systemBefore = prepend.stream().filter(PromptEnrichment::isSystem).toList();
    List<PromptMessage> systemAfter = append.stream().filter(PromptEnrichment::isSystem).toList();
    if (!systemBefore.isEmpty() || !systemAfter.isEmpty()) {
      String field = body.has("system_instruction") && !body.has("systemInstruction") ? "system_instruction" : "systemInstruction";
      JsonNode instruction = body.get(field);
      ObjectNode system = instruction instanceof ObjectNode object ? object : Json.mapper().createObjectNode();
      JsonNode existing = system.get("parts");
      ArrayNode parts = Json.mapper().createArrayNode();
      systemBefore.forEach(m -> parts.addObject().put("text", m.content()));
      if (existing != null && existing.isArray()) {
        parts.addAll((ArrayNode) existing);
      }
      systemAfter.forEach(m -> parts.addObject().put("text", m.content()));
      system.set("parts", parts);
      body.set(field, system);
    }
    listOf(body, "contents",
        prepend.stream().filter(m -> !isSystem(m)).toList(),
        append.stream().filter(m -> !isSystem(m)).toList(),
        message -> {
          ObjectNode content = Json.mapper().createObjectNode()
              .put("role", message.role().equals("assistant") ? "model" : "user");
          content.putArray("parts").addObject().put("text", message.content());
          return content;
        });
  }

  private static void join(StringBuilder text, String part) {
    if (text.length() > 0) {
      text.append("\n\n");
    }
    text.append(part);
  }
}

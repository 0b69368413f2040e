package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** What a fake provider answers: a text, or a call to one of the offered tools. */
sealed interface FakeAnswer permits FakeAnswer.Text, FakeAnswer.ToolCall {

  /** The word that, in the last user message of a request offering tools, makes the fake call a tool. */
  Pattern TOOL_TRIGGER = Pattern.compile("\\bweather\\b", Pattern.CASE_INSENSITIVE);

  /** Characters per streamed piece of tool-call arguments. */
  int ARGUMENT_PIECE_CHARS = 8;

  int outputTokens();

  /**
   * A text answer.
   *
   * @param text the answer, cut to the request's output limit
   * @param truncated whether the limit cut it (then the stop reason says so)
   */
  record Text(String text, int outputTokens, boolean truncated) implements FakeAnswer {
    public Text {
      requireNonNull(text, "text");
    }

    /** The streamed pieces: one word each, with its trailing space. */
    List<String> pieces() {
      List<String> pieces = new ArrayList<>();
      for (String piece : text.split("(?<= )")) {
        if (!piece.isEmpty()) {
          pieces.add(piece);
        }
      }
      return pieces;
    }
  }

  /**
   * A call to a tool.
   *
   * @param name the tool's name
   * @param arguments the arguments, built from the tool's schema
   */
  record ToolCall(String name, ObjectNode arguments, int outputTokens) implements FakeAnswer {
    public ToolCall {
      requireNonNull(name, "name");
      requireNonNull(arguments, "arguments");
    }

    /** The arguments as compact JSON. */
    String argumentsJson() {
      return arguments.toString();
    }

    /** The streamed pieces of {@link #argumentsJson()}. */
    List<String> argumentPieces() {
      String json = argumentsJson();
      List<String> pieces = new ArrayList<>();
      for (int start = 0; start < json.length(); start += ARGUMENT_PIECE_CHARS) {
        pieces.add(json.substring(start, Math.min(json.length(), start + ARGUMENT_PIECE_CHARS)));
      }
      return pieces;
    }
  }

  /** The text every fake provider answers, whatever the prompt. */
  static String replyText(String provider, String model) {
    return "Kubernetes is an open-source container orchestration platform. (fake " + provider + " answering "
        + model + ")";
  }

  /** Decides the answer to a valid request. */
  static FakeAnswer decide(String provider, ChatInput input) {
    ChatInput.ToolSpec tool = input.toolToCall();
    if (tool != null) {
      ObjectNode arguments = argumentsFor(tool.parameters());
      return new ToolCall(tool.name(), arguments, FakeTokens.count(arguments.toString()));
    }
    String text = replyText(provider, input.model());
    Integer limit = input.maxOutputTokens();
    if (limit != null && FakeTokens.count(text) > limit) {
      String cut = FakeTokens.truncate(text, limit);
      return new Text(cut, FakeTokens.count(cut), true);
    }
    return new Text(text, FakeTokens.count(text), false);
  }

  /** Whether a user message's text asks for a tool call. */
  static boolean asksForTool(@Nullable String lastUserText) {
    return lastUserText != null && TOOL_TRIGGER.matcher(lastUserText).find();
  }

  /**
   * Arguments for a JSON Schema: each required property (every property when none is required) gets its enum's
   * first value, or "Paris" for a string, 1 for a number or integer, true for a boolean, an empty array or object.
   */
  static ObjectNode argumentsFor(JsonNode schema) {
    ObjectNode arguments = JsonNodeFactory.instance.objectNode();
    JsonNode properties = schema.path("properties");
    if (!properties.isObject()) {
      return arguments;
    }
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(name -> required.add(name.asText()));
    for (Map.Entry<String, JsonNode> field : properties.properties()) {
      if (required.isEmpty() || required.contains(field.getKey())) {
        arguments.set(field.getKey(), valueFor(field.getValue()));
      }
    }
    return arguments;
  }

  private static JsonNode valueFor(JsonNode property) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    JsonNode enumValues = property.path("enum");
    if (enumValues.isArray() && !enumValues.isEmpty()) {
      return enumValues.get(0);
    }
    String type = property.path("type").asText("string").toLowerCase(Locale.ROOT);
    return switch (type) {
      case "integer", "number" -> json.numberNode(1);
      case "boolean" -> json.booleanNode(true);
      case "array" -> json.arrayNode();
      case "object" -> json.objectNode();
      default -> json.textNode("Paris");
    };
  }
}

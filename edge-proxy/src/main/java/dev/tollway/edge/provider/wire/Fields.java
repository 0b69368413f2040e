package dev.tollway.edge.provider.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads fields of a client's request body, failing with {@code INVALID_REQUEST} and a message that names the
 * field by its path in the client's API ({@code "messages[1].role: expected one of ..."}). A JSON
 * {@code null} counts as absent.
 */
public final class Fields {

  private Fields() {}

  /** An {@code INVALID_REQUEST} error for the field at {@code path}. */
  public static GatewayException invalid(String path, String problem) {
    return new GatewayException(ErrorReason.INVALID_REQUEST, path + ": " + problem);
  }

  public static ObjectNode object(JsonNode node, String path) {
    if (node instanceof ObjectNode object) {
      return object;
    }
    throw invalid(path, "expected an object");
  }

  /** The body itself: a JSON object. */
  public static ObjectNode body(@Nullable JsonNode body) {
    if (body instanceof ObjectNode object) {
      return object;
    }
    throw new GatewayException(ErrorReason.INVALID_REQUEST, "body: expected a JSON object");
  }

  public static boolean present(ObjectNode parent, String field) {
    JsonNode value = parent.get(field);
    return value != null && !value.isNull() && !value.isMissingNode();
  }

  public static @Nullable JsonNode optional(ObjectNode parent, String field) {
    return present(parent, field) ? parent.get(field) : null;
  }

  public static JsonNode required(ObjectNode parent, String field, String path) {
    JsonNode value = optional(parent, field);
    if (value == null) {
      throw invalid(path, "required");
    }
    return value;
  }

  public static String requiredString(ObjectNode parent, String field, String path) {
    JsonNode value = required(parent, field, path);
    if (!value.isTextual()) {
      throw invalid(path, "expected a string");
    }
    return value.textValue();
  }

  public static @Nullable String optString(ObjectNode parent, String field, String path) {
    JsonNode value = optional(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid(path, "expected a string");
    }
    return value.textValue();
  }

  public static @Nullable Boolean optBoolean(ObjectNode parent, String field, String path) {
    JsonNode value = optional(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      throw invalid(path, "expected true or false");
    }
    return value.booleanValue();
  }

  public static @Nullable Double optNumber(ObjectNode parent, String field, String path) {
    JsonNode value = optional(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isNumber()) {
      throw invalid(path, "expected a number");
    }
    double number = value.doubleValue();
    if (!Double.isFinite(number)) {
      throw invalid(path, "expected a finite number");
    }
    return number;
  }

  public static @Nullable Long optLong(ObjectNode parent, String field, String path) {
    JsonNode value = optional(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw invalid(path, "expected an integer");
    }
    return value.longValue();
  }

  public static @Nullable Long optPositiveLong(ObjectNode parent, String field, String path) {
    Long value = optLong(parent, field, path);
    if (value != null && value <= 0) {
      throw invalid(path, "expected a positive integer");
    }
    return value;
  }

  public static @Nullable ObjectNode optObject(ObjectNode parent, String field, String path) {
    JsonNode value = optional(parent, field);
    return value == null ? null : object(value, path);
  }

  public static @Nullable ArrayNode optArray(ObjectNode parent, String field, String path) {
    JsonNode value = optional(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      throw invalid(path, "expected an array");
    }
    return (ArrayNode) value;
  }

  public static ArrayNode requiredNonEmptyArray(ObjectNode parent, String field, String path) {
    JsonNode value = required(parent, field, path);
    if (!value.isArray()) {
      throw invalid(path, "expected an array");
    }
    if (value.isEmpty()) {
      throw invalid(path, "expected at least one element");
    }
    return (ArrayNode) value;
  }

  /** A string that must be one of {@code allowed}; the error lists them in the given order. */
  public static String oneOf(JsonNode value, String path, List<String> allowed) {
    if (!value.isTextual() || !Set.copyOf(allowed).contains(value.textValue())) {
      throw invalid(path, "expected one of " + String.join(", ", allowed));
    }
    return value.textValue();
  }

  /** A string or an array of strings, as a list. */
  public static List<String> stringOrStrings(ObjectNode parent, String field, String path) {
    JsonNode value = optional(parent, field);
    if (value == null) {
      return List.of();
    }
    if (value.isTextual()) {
      return List.of(value.textValue());
    }
    if (!value.isArray()) {
      throw invalid(path, "expected a string or an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isTextual()) {
        throw invalid(path + "[" + i + "]", "expected a string");
      }
      out.add(item.textValue());
    }
    return out;
  }

  // ---- lenient reads of provider answers ---------------------------------------------------------------

  /** A text field of a provider's answer, or null. */
  public static @Nullable String text(@Nullable JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  /** A count field of a provider's answer, or 0. */
  public static long count(@Nullable JsonNode node, String field) {
    if (node == null) {
      return 0;
    }
    JsonNode value = node.get(field);
    return value != null && value.canConvertToLong() && value.isNumber() ? Math.max(0, value.longValue()) : 0;
  }
}

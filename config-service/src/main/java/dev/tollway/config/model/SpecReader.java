package dev.tollway.config.model;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads one object of a custom resource's spec (a JSON object as nested maps), checking types and naming
 * the full path of the field in every error: {@code spec.ai.provider.gemini.model: 42 (expected: a string)}.
 */
public final class SpecReader {

  /**
   * The longest string accepted in a spec field: generous for prompts and expressions, small enough that one
   * hostile resource cannot blow up the snapshot every other resource shares.
   */
  public static final int MAX_STRING_LENGTH = 64 * 1024;

  private final String path;
  private final Map<?, ?> fields;

  private SpecReader(String path, Map<?, ?> fields) {
    this.path = path;
    this.fields = fields;
  }

  /** The {@code spec} of a custom resource. */
  public static SpecReader spec(GenericKubernetesResource resource) {
    requireNonNull(resource, "resource");
    Object spec = resource.getAdditionalProperties().get("spec");
    if (spec == null) {
      throw InvalidSpecException.invalid("spec", "missing");
    }
    if (!(spec instanceof Map<?, ?> map)) {
      throw InvalidSpecException.invalid("spec", describe(spec) + " (expected: an object)");
    }
    return new SpecReader("spec", map);
  }

  /** A reader over {@code fields}, reporting errors under {@code path}. */
  public static SpecReader of(String path, Map<?, ?> fields) {
    return new SpecReader(requireNonNull(path, "path"), requireNonNull(fields, "fields"));
  }

  /** The path of this object, such as {@code spec.ai.provider}. */
  public String path() {
    return path;
  }

  /** The path of one of this object's fields. */
  public String path(String field) {
    return path + "." + field;
  }

  /** Whether the field is present with a non-null value. */
  public boolean has(String field) {
    return fields.get(field) != null;
  }

  /** The names of the fields present with a non-null value, sorted. */
  public Set<String> fieldNames() {
    Set<String> names = new TreeSet<>();
    fields.forEach((k, v) -> {
      if (v != null) {
        names.add(String.valueOf(k));
      }
    });
    return names;
  }

  /** A field's value as parsed from YAML or JSON (maps, lists, strings, numbers, booleans), if present. */
  public Optional<Object> value(String field) {
    return Optional.ofNullable(fields.get(field));
  }

  /** A nested object, if present. */
  public Optional<SpecReader> object(String field) {
    Object value = fields.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Map<?, ?> map) {
      return Optional.of(new SpecReader(path(field), map));
    }
    throw InvalidSpecException.invalid(path(field), describe(value) + " (expected: an object)");
  }

  /** A nested object that must be present. */
  public SpecReader requireObject(String field) {
    return object(field).orElseThrow(() -> InvalidSpecException.invalid(path(field), "missing"));
  }

  /** A string field, if present. */
  public Optional<String> string(String field) {
    Object value = fields.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String s) {
      if (s.length() > MAX_STRING_LENGTH) {
        throw InvalidSpecException.invalid(
            path(field), s.length() + " characters (expected: at most " + MAX_STRING_LENGTH + ")");
      }
      return Optional.of(s);
    }
    throw InvalidSpecException.invalid(path(field), describe(value) + " (expected: a string)");
  }

  /** A string field that must be present and not blank. */
  public String requireString(String field) {
    String value = string(field).orElseThrow(() -> InvalidSpecException.invalid(path(field), "missing"));
    if (value.isBlank()) {
      throw InvalidSpecException.invalid(path(field), "empty (expected: a non-empty string)");
    }
    return value;
  }

  /** An integer field within {@code [min, max]}, if present. Numeric strings are accepted. */
  public Optional<Integer> integer(String field, int min, int max) {
    Object value = fields.get(field);
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of(toInteger(value, path(field), min, max));
  }

  /** A list of integers, each within {@code [min, max]}; empty if the field is absent. */
  public List<Integer> integers(String field, int min, int max) {
    Object value = fields.get(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw InvalidSpecException.invalid(path(field), describe(value) + " (expected: a list of integers)");
    }
    List<Integer> numbers = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      numbers.add(toInteger(list.get(i), path(field) + "[" + i + "]", min, max));
    }
    return numbers;
  }

  private static int toInteger(@Nullable Object value, String path, int min, int max) {
    long number;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      number = ((Number) value).longValue();
    } else if (value instanceof String s && s.strip().matches("-?[0-9]{1,10}")) {
      number = Long.parseLong(s.strip());
    } else {
      throw InvalidSpecException.invalid(
          path, describe(value) + " (expected: an integer from " + min + " to " + max + ")");
    }
    if (number < min || number > max) {
      throw InvalidSpecException.invalid(path, number + " (expected: an integer from " + min + " to " + max + ")");
    }
    return (int) number;
  }

  /**
   * A decimal number, if present: a number, or a string holding one ({@code "2.50"}). Decimals are exact: a
   * string is read digit for digit, and a fractional YAML or JSON number (which parsers hand over as a
   * {@code double}) through its shortest decimal form, so {@code 0.1} is 0.1. Strings with exponents are
   * refused.
   */
  public Optional<BigDecimal> decimal(String field) {
    return decimal(field, "a decimal number such as \"2.50\"");
  }

  /** As {@link #decimal(String)}, saying what was expected in the caller's terms when the value is not one. */
  public Optional<BigDecimal> decimal(String field, String expected) {
    Object value = fields.get(field);
    if (value == null) {
      return Optional.empty();
    }
    @Nullable BigDecimal number = null;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      number = BigDecimal.valueOf(((Number) value).longValue());
    } else if (value instanceof BigInteger i) {
      number = new BigDecimal(i);
    } else if (value instanceof BigDecimal d) {
      number = d;
    } else if (value instanceof Double d && Double.isFinite(d)) {
      number = new BigDecimal(Double.toString(d));
    } else if (value instanceof Float f && Float.isFinite(f)) {
      number = new BigDecimal(Float.toString(f));
    } else if (value instanceof String s && s.strip().matches("[+-]?[0-9]{1,30}(\\.[0-9]{1,30})?")) {
      number = new BigDecimal(s.strip());
    }
    if (number == null) {
      throw InvalidSpecException.invalid(
          path(field), describe(value) + " (expected: " + expected + ")");
    }
    return Optional.of(number);
  }

  /** A list of objects; empty if the field is absent. */
  public List<SpecReader> objects(String field) {
    Object value = fields.get(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw InvalidSpecException.invalid(path(field), describe(value) + " (expected: a list)");
    }
    List<SpecReader> readers = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      String itemPath = path(field) + "[" + i + "]";
      if (!(item instanceof Map<?, ?> map)) {
        throw InvalidSpecException.invalid(itemPath, describe(item) + " (expected: an object)");
      }
      readers.add(new SpecReader(itemPath, map));
    }
    return readers;
  }

  /** A map of strings to strings; empty if the field is absent. */
  public SortedMap<String, String> stringMap(String field) {
    Object value = fields.get(field);
    SortedMap<String, String> result = new TreeMap<>();
    if (value == null) {
      return result;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw InvalidSpecException.invalid(path(field), describe(value) + " (expected: a map of strings)");
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw InvalidSpecException.invalid(
            path(field) + "." + e.getKey(), describe(e.getValue()) + " (expected: a string)");
      }
      result.put(String.valueOf(e.getKey()), s);
    }
    return result;
  }

  /**
   * The one field of {@code names} that is present; exactly one must be.
   *
   * @throws InvalidSpecException {@code spec.ai.provider: expected exactly one of openai, anthropic (found:
   *     none)}
   */
  public String exactlyOneOf(List<String> names) {
    List<String> present = names.stream().filter(this::has).toList();
    if (present.size() != 1) {
      throw InvalidSpecException.invalid(
          path,
          "expected exactly one of " + String.join(", ", names) + " (found: "
              + (present.isEmpty() ? "none" : String.join(", ", present)) + ")");
    }
    return present.get(0);
  }

  /**
   * Fails on the first present field that is not in {@code supported}, as unsupported: Tollway refuses what
   * it cannot honour rather than silently ignoring it.
   */
  public void requireOnly(Set<String> supported) {
    for (String name : fieldNames()) {
      if (!supported.contains(name)) {
        throw InvalidSpecException.unsupported(path(name), "not supported by Tollway yet");
      }
    }
  }

  /**
   * Fails on the first present field that is not in {@code known}, as invalid: for Tollway's own resources,
   * where an unknown field can only be a mistake (a misspelt optional field would otherwise be ignored).
   */
  public void requireKnown(Set<String> known) {
    for (String name : fieldNames()) {
      if (!known.contains(name)) {
        throw InvalidSpecException.invalid(
            path(name), "unknown field (expected: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
  }

  private static String describe(@Nullable Object value) {
    if (value instanceof String s) {
      return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "a list";
    }
    return String.valueOf(value);
  }
}

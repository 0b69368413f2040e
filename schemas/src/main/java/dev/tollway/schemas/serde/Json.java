package dev.tollway.schemas.serde;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.UncheckedIOException;

/**
 * The one JSON configuration of the contracts: ISO-8601 instants, map entries sorted by key and absent
 * optional fields left out, so the same record always gives the same bytes; unknown fields are ignored on
 * read so that adding a field is not a breaking change.
 */
public final class Json {

  /** Limits that keep a hostile or corrupt payload from exhausting memory. */
  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder()
          .maxNestingDepth(200)
          .maxStringLength(16 * 1024 * 1024)
          .maxNumberLength(100)
          .build();

  private static final ObjectMapper MAPPER = newMapper();

  private Json() {}

  /** A new mapper with the contract settings, for callers that need their own instance. */
  public static ObjectMapper newMapper() {
    JsonFactory factory = JsonFactory.builder().streamReadConstraints(LIMITS).build();
    return JsonMapper.builder(factory)
        .addModule(new JavaTimeModule())
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .build();
  }

  /** The shared mapper. Thread-safe; do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] toBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  public static String toString(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /**
   * Decodes a payload.
   *
   * @throws UncheckedIOException naming the type when the bytes are not a valid payload of that type
   */
  public static <T> T fromBytes(byte[] bytes, Class<T> type) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}

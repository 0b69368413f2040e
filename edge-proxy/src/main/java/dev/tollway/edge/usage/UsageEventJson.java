package dev.tollway.edge.usage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link UsageEvent} as the JSON of the contract ({@code Topics.USAGE.serde()}), byte for byte, with
 * Jackson's streaming generator instead of its object mapper: the same generator settings (hence the same
 * string escaping and number forms), the fields in the record's order, absent ones (and null tag values) left out, map entries sorted
 * (the record keeps its tags sorted), instants in ISO-8601 as {@link Instant#toString()}. A test checks it
 * against the contract's serde over varied events. It reuses one buffer, so calls are serialized (the
 * publisher's one thread makes them, uncontended).
 */
final class UsageEventJson {

  private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
  private final char[] instant = new char[30];

  /** The event's JSON, as the contract's serde would write it. */
  synchronized byte[] write(UsageEvent event) {
    requireNonNull(event, "event");
    buffer.reset();
    try (JsonGenerator json = Json.mapper().getFactory().createGenerator(buffer, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeNumberField("schemaVersion", event.schemaVersion());
      json.writeStringField("eventId", event.eventId());
      json.writeStringField("requestId", event.requestId());
      optional(json, "traceId", event.traceId());
      json.writeNumberField("attempt", event.attempt());
      json.writeBooleanField("finalAttempt", event.finalAttempt());
      instant(json, "startTime", event.startTime());
      if (event.firstTokenTime() != null) {
        instant(json, "firstTokenTime", event.firstTokenTime());
      }
      instant(json, "endTime", event.endTime());
      json.writeStringField("gateway", event.gateway());
      optional(json, "listener", event.listener());
      optional(json, "route", event.route());
      optional(json, "backend", event.backend());
      optional(json, "provider", event.provider());
      optional(json, "endpoint", event.endpoint());
      optional(json, "operation", event.operation());
      optional(json, "clientApi", event.clientApi());
      optional(json, "requestModel", event.requestModel());
      optional(json, "providerModel", event.providerModel());
      optional(json, "responseModel", event.responseModel());
      json.writeBooleanField("streamed", event.streamed());
      caller(json, event.caller());
      json.writeNumberField("status", event.status());
      optional(json, "errorClass", event.errorClass());
      tokens(json, event.tokens());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode UsageEvent as JSON", e);
    }
    return buffer.toByteArray();
  }

  private static void caller(JsonGenerator json, UsageEvent.Caller caller) throws IOException {
    json.writeObjectFieldStart("caller");
    optional(json, "apiKeyId", caller.apiKeyId());
    optional(json, "apiKeyName", caller.apiKeyName());
    optional(json, "team", caller.team());
    optional(json, "user", caller.user());
    json.writeObjectFieldStart("tags");
    for (Map.Entry<String, String> tag : caller.tags().entrySet()) {
      if (tag.getValue() != null) { // the contract leaves out null map values as it does null fields
        json.writeStringField(tag.getKey(), tag.getValue());
      }
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void tokens(JsonGenerator json, TokenUsage tokens) throws IOException {
    json.writeObjectFieldStart("tokens");
    json.writeNumberField("inputTokens", tokens.inputTokens());
    json.writeNumberField("cacheReadInputTokens", tokens.cacheReadInputTokens());
    json.writeNumberField("cacheCreationInputTokens", tokens.cacheCreationInputTokens());
    json.writeNumberField("outputTokens", tokens.outputTokens());
    json.writeNumberField("reasoningTokens", tokens.reasoningTokens());
    json.writeNumberField("totalTokens", tokens.totalTokens());
    json.writeStringField("source", tokens.source().name());
    json.writeBooleanField("streamCompleted", tokens.streamCompleted());
    json.writeEndObject();
  }

  private static void optional(JsonGenerator json, String name, @Nullable String value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value);
    }
  }

  private void instant(JsonGenerator json, String name, Instant value) throws IOException {
    json.writeFieldName(name);
    int length = iso(value, instant);
    if (length < 0) {
      json.writeString(value.toString());
    } else {
      json.writeString(instant, 0, length);
    }
  }

  /**
   * {@link Instant#toString()} into {@code out} for the years 0000–9999: {@code yyyy-MM-ddTHH:mm:ss}, then the
   * fraction in groups of three digits when there is one, then {@code Z}; the length written, or -1 for other
   * years (the caller falls back to {@code toString}).
   */
  static int iso(Instant value, char[] out) {
    LocalDateTime time = LocalDateTime.ofEpochSecond(value.getEpochSecond(), 0, ZoneOffset.UTC);
    int year = time.getYear();
    if (year < 0 || year > 9999) {
      return -1;
    }
    digits(out, 0, year, 4);
    out[4] = '-';
    digits(out, 5, time.getMonthValue(), 2);
    out[7] = '-';
    digits(out, 8, time.getDayOfMonth(), 2);
    out[10] = 'T';
    digits(out, 11, time.getHour(), 2);
    out[13] = ':';
    digits(out, 14, time.getMinute(), 2);
    out[16] = ':';
    digits(out, 17, time.getSecond(), 2);
    int at = 19;
    int nano = value.getNano();
    if (nano > 0) {
      out[at++] = '.';
      if (nano % 1_000_000 == 0) {
        digits(out, at, nano / 1_000_000, 3);
        at += 3;
      } else if (nano % 1_000 == 0) {
        digits(out, at, nano / 1_000, 6);
        at += 6;
      } else {
        digits(out, at, nano, 9);
        at += 9;
      }
    }
    out[at++] = 'Z';
    return at;
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}

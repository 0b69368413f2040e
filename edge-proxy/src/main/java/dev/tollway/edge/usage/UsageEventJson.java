package dev.tollway.edge.usage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link UsageEvent} as the JSON of the contract ({@code Topics.USAGE.serde()}), byte for byte, straight
 * into a reused byte array: the fields in the record's order, absent ones (and null tag values) left out, map
 * entries sorted (the record keeps its tags sorted), instants in ISO-8601 as {@link Instant#toString()}, numbers
 * and booleans as the contract's mapper writes them. A string of printable ASCII without {@code "} or {@code \}
 * — ids, names, models, nearly every string an event holds — is copied as it is; any other string is written
 * by the contract's own mapper, so its escaping and UTF-8 are the mapper's. A test checks the whole against the
 * contract's serde over varied events. Calls are serialized (the publisher's one thread makes them,
 * uncontended).
 */
final class UsageEventJson {

  /** 1 for the bytes a string cannot be copied with: control characters, DEL, quote, backslash, non-ASCII. */
  private static final byte[] ESCAPED = new byte[256];

  static {
    for (int b = 0; b < 256; b++) {
      ESCAPED[b] = (byte) (b < 0x20 || b >= 0x7f || b == '"' || b == '\\' ? 1 : 0);
    }
  }

  private byte[] buffer = new byte[1024];
  private int length;
  private final char[] instant = new char[30];

  /** The event's JSON, as the contract's serde would write it. */
  synchronized byte[] write(UsageEvent event) {
    requireNonNull(event, "event");
    length = 0;
    raw("{");
    name("schemaVersion");
    number(event.schemaVersion());
    field("eventId", event.eventId());
    field("requestId", event.requestId());
    field("traceId", event.traceId());
    name("attempt");
    number(event.attempt());
    name("finalAttempt");
    bool(event.finalAttempt());
    instant("startTime", event.startTime());
    if (event.firstTokenTime() != null) {
      instant("firstTokenTime", event.firstTokenTime());
    }
    instant("endTime", event.endTime());
    field("gateway", event.gateway());
    field("listener", event.listener());
    field("route", event.route());
    field("backend", event.backend());
    field("provider", event.provider());
    field("endpoint", event.endpoint());
    field("operation", event.operation());
    field("clientApi", event.clientApi());
    field("requestModel", event.requestModel());
    field("providerModel", event.providerModel());
    field("responseModel", event.responseModel());
    name("streamed");
    bool(event.streamed());
    caller(event.caller());
    name("status");
    number(event.status());
    field("errorClass", event.errorClass());
    tokens(event.tokens());
    raw("}");
    return Arrays.copyOf(buffer, length);
  }

  private void caller(UsageEvent.Caller caller) {
    name("caller");
    raw("{");
    field("apiKeyId", caller.apiKeyId());
    field("apiKeyName", caller.apiKeyName());
    field("team", caller.team());
    field("user", caller.user());
    name("tags");
    raw("{");
    for (Map.Entry<String, String> tag : caller.tags().entrySet()) {
      if (tag.getValue() != null) { // the contract leaves out null map values as it does null fields
        separate();
        string(tag.getKey());
        raw(":");
        string(tag.getValue());
      }
    }
    raw("}}");
  }

  private void tokens(TokenUsage tokens) {
    name("tokens");
    raw("{");
    name("inputTokens");
    number(tokens.inputTokens());
    name("cacheReadInputTokens");
    number(tokens.cacheReadInputTokens());
    name("cacheCreationInputTokens");
    number(tokens.cacheCreationInputTokens());
    name("outputTokens");
    number(tokens.outputTokens());
    name("reasoningTokens");
    number(tokens.reasoningTokens());
    name("totalTokens");
    number(tokens.totalTokens());
    field("source", tokens.source().name());
    name("streamCompleted");
    bool(tokens.streamCompleted());
    raw("}");
  }

  /** {@code "name":value} when there is a value. */
  private void field(String name, @Nullable String value) {
    if (value != null) {
      name(name);
      string(value);
    }
  }

  /** {@code "name":}, after a comma unless it is the first member of its object; names are ASCII constants. */
  private void name(String name) {
    separate();
    raw("\"");
    raw(name);
    raw("\":");
  }

  /** The comma between members: none right after the object's opening brace. */
  private void separate() {
    if (buffer[length - 1] != '{') {
      raw(",");
    }
  }

  private void instant(String name, Instant value) {
    name(name);
    raw("\"");
    int end = iso(value, instant);
    if (end < 0) {
      raw(value.toString()); // beyond the years 0000-9999: digits, signs, colons, a dot and letters only
    } else {
      room(end);
      byte[] out = buffer;
      for (int i = 0; i < end; i++) {
        out[length + i] = (byte) instant[i];
      }
      length += end;
    }
    raw("\"");
  }

  /** A JSON string: copied when it is printable ASCII with nothing to escape, else the contract mapper's. */
  private void string(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    int unusual = 0;
    for (byte b : utf8) {
      unusual |= ESCAPED[b & 0xff];
    }
    if (unusual != 0) {
      escaped(value);
      return;
    }
    room(utf8.length + 2);
    buffer[length] = '"';
    System.arraycopy(utf8, 0, buffer, length + 1, utf8.length);
    length += utf8.length + 2;
    buffer[length - 1] = '"';
  }

  private void escaped(String value) {
    byte[] json;
    try {
      json = Json.mapper().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot encode UsageEvent as JSON", e);
    }
    room(json.length);
    System.arraycopy(json, 0, buffer, length, json.length);
    length += json.length;
  }

  private void number(long value) {
    room(20);
    if (value < 0) {
      buffer[length++] = '-';
      if (value == Long.MIN_VALUE) {
        raw("9223372036854775808");
        return;
      }
      value = -value;
    }
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    for (int i = length + digits - 1; i >= length; i--) {
      buffer[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    length += digits;
  }

  private void bool(boolean value) {
    raw(value ? "true" : "false");
  }

  /** ASCII text as it is: names, punctuation, digits. */
  @SuppressWarnings("deprecation") // the copy of the low byte of each char, exact for ASCII: a plain array copy
  private void raw(String ascii) {
    int size = ascii.length();
    room(size);
    ascii.getBytes(0, size, buffer, length);
    length += size;
  }

  private void room(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
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

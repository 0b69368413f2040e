package dev.tollway.usage.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.serde.JsonSerde;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * The serde of {@code tollway.usage.v1} as usage-streams reads it: the contract's JSON ({@link Topics#USAGE}),
 * decoded with Jackson's streaming parser instead of data binding — the input event is decoded once per record,
 * and binding it was the largest single cost per event.
 *
 * <p>The result is the databind serde's, always. The lean path handles the JSON edge-proxy writes: fields in any
 * order, unknown fields skipped, optional fields absent or {@code null}, numbers as JSON integers, booleans as
 * {@code true} / {@code false}, instants as {@link Instant#toString()} writes them. Anything else — a number in
 * a string, a missing primitive, a field given twice, another instant format, malformed or truncated JSON — is
 * handed to the databind serde on the same bytes, so what it accepts, the value it builds and the
 * {@link org.apache.kafka.common.errors.SerializationException} it throws (which the topology's deserialization
 * handler counts and skips) are unchanged. Writing is the databind serde's. Thread-safe.
 */
public final class UsageEventSerde implements Serde<UsageEvent>, Serializer<UsageEvent>, Deserializer<UsageEvent> {

  /** The contract's parser settings (limits on nesting, string and number lengths). */
  private static final JsonFactory FACTORY = Json.mapper().getFactory();

  private static final String[] SOURCES = sourceNames();

  private final JsonSerde<UsageEvent> json;

  /** The serde, falling back on the contract's own. */
  public UsageEventSerde() {
    this.json = JsonSerde.of(UsageEvent.class);
  }

  @Override
  public byte @Nullable [] serialize(String topic, @Nullable UsageEvent data) {
    return json.serialize(topic, data);
  }

  @Override
  public @Nullable UsageEvent deserialize(String topic, byte @Nullable [] data) {
    if (data == null) {
      return null;
    }
    UsageEvent event = lean(data);
    return event != null ? event : json.deserialize(topic, data);
  }

  /** The event, or {@code null} when the bytes are not in the shape the lean path handles. */
  static @Nullable UsageEvent lean(byte[] data) {
    try (JsonParser parser = FACTORY.createParser(data)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      return event(parser);
    } catch (Unusual | IOException | DateTimeException | NullPointerException | IllegalArgumentException e) {
      // Unusual: a shape left to data binding; the rest: malformed JSON, an impossible date, a required field
      // missing — data binding decides what that is, with its own message
      return null;
    }
  }

  private static UsageEvent event(JsonParser parser) throws IOException {
    int seen = 0;
    int schemaVersion = 0;
    String eventId = null;
    String requestId = null;
    String traceId = null;
    int attempt = 0;
    boolean finalAttempt = false;
    Instant startTime = null;
    Instant firstTokenTime = null;
    Instant endTime = null;
    String gateway = null;
    String listener = null;
    String route = null;
    String backend = null;
    String provider = null;
    String endpoint = null;
    String operation = null;
    String clientApi = null;
    String requestModel = null;
    String providerModel = null;
    String responseModel = null;
    boolean streamed = false;
    UsageEvent.Caller caller = null;
    int status = 0;
    String errorClass = null;
    TokenUsage tokens = null;
    String name;
    while ((name = parser.nextFieldName()) != null) {
      JsonToken token = parser.nextToken();
      switch (name) {
        case "schemaVersion" -> {
          seen = once(seen, 0);
          schemaVersion = intValue(parser, token);
        }
        case "eventId" -> {
          seen = once(seen, 1);
          eventId = text(parser, token);
        }
        case "requestId" -> {
          seen = once(seen, 2);
          requestId = text(parser, token);
        }
        case "traceId" -> {
          seen = once(seen, 3);
          traceId = text(parser, token);
        }
        case "attempt" -> {
          seen = once(seen, 4);
          attempt = intValue(parser, token);
        }
        case "finalAttempt" -> {
          seen = once(seen, 5);
          finalAttempt = bool(token);
        }
        case "startTime" -> {
          seen = once(seen, 6);
          startTime = instant(parser, token);
        }
        case "firstTokenTime" -> {
          seen = once(seen, 7);
          firstTokenTime = instant(parser, token);
        }
        case "endTime" -> {
          seen = once(seen, 8);
          endTime = instant(parser, token);
        }
        case "gateway" -> {
          seen = once(seen, 9);
          gateway = text(parser, token);
        }
        case "listener" -> {
          seen = once(seen, 10);
          listener = text(parser, token);
        }
        case "route" -> {
          seen = once(seen, 11);
          route = text(parser, token);
        }
        case "backend" -> {
          seen = once(seen, 12);
          backend = text(parser, token);
        }
        case "provider" -> {
          seen = once(seen, 13);
          provider = text(parser, token);
        }
        case "endpoint" -> {
          seen = once(seen, 14);
          endpoint = text(parser, token);
        }
        case "operation" -> {
          seen = once(seen, 15);
          operation = text(parser, token);
        }
        case "clientApi" -> {
          seen = once(seen, 16);
          clientApi = text(parser, token);
        }
        case "requestModel" -> {
          seen = once(seen, 17);
          requestModel = text(parser, token);
        }
        case "providerModel" -> {
          seen = once(seen, 18);
          providerModel = text(parser, token);
        }
        case "responseModel" -> {
          seen = once(seen, 19);
          responseModel = text(parser, token);
        }
        case "streamed" -> {
          seen = once(seen, 20);
          streamed = bool(token);
        }
        case "caller" -> {
          seen = once(seen, 21);
          caller = caller(parser, token);
        }
        case "status" -> {
          seen = once(seen, 22);
          status = intValue(parser, token);
        }
        case "errorClass" -> {
          seen = once(seen, 23);
          errorClass = text(parser, token);
        }
        case "tokens" -> {
          seen = once(seen, 24);
          tokens = tokens(parser, token);
        }
        default -> parser.skipChildren();
      }
    }
    endOfObject(parser);
    // the primitives: data binding decides what an absent one means
    requireSeen(seen, 0, 4, 5, 20, 22);
    return new UsageEvent(
        schemaVersion, eventId, requestId, traceId, attempt, finalAttempt, startTime, firstTokenTime, endTime,
        gateway, listener, route, backend, provider, endpoint, operation, clientApi, requestModel, providerModel,
        responseModel, streamed, caller, status, errorClass, tokens);
  }

  private static UsageEvent.Caller caller(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      throw Unusual.INSTANCE;
    }
    int seen = 0;
    String apiKeyId = null;
    String apiKeyName = null;
    String team = null;
    String user = null;
    TreeMap<String, String> tags = null;
    String name;
    while ((name = parser.nextFieldName()) != null) {
      JsonToken value = parser.nextToken();
      switch (name) {
        case "apiKeyId" -> {
          seen = once(seen, 0);
          apiKeyId = text(parser, value);
        }
        case "apiKeyName" -> {
          seen = once(seen, 1);
          apiKeyName = text(parser, value);
        }
        case "team" -> {
          seen = once(seen, 2);
          team = text(parser, value);
        }
        case "user" -> {
          seen = once(seen, 3);
          user = text(parser, value);
        }
        case "tags" -> {
          seen = once(seen, 4);
          tags = tags(parser, value);
        }
        default -> parser.skipChildren();
      }
    }
    endOfObject(parser);
    if (tags == null) {
      throw Unusual.INSTANCE;
    }
    return new UsageEvent.Caller(apiKeyId, apiKeyName, team, user, tags);
  }

  private static TreeMap<String, String> tags(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      throw Unusual.INSTANCE;
    }
    TreeMap<String, String> tags = new TreeMap<>();
    String name;
    while ((name = parser.nextFieldName()) != null) {
      if (parser.nextToken() != JsonToken.VALUE_STRING) {
        throw Unusual.INSTANCE;
      }
      tags.put(name, parser.getText()); // a key given twice: the last wins, as in data binding
    }
    endOfObject(parser);
    return tags;
  }

  private static TokenUsage tokens(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      throw Unusual.INSTANCE;
    }
    int seen = 0;
    long input = 0;
    long cacheRead = 0;
    long cacheCreation = 0;
    long output = 0;
    long reasoning = 0;
    long total = 0;
    TokenUsage.Source source = null;
    boolean streamCompleted = false;
    String name;
    while ((name = parser.nextFieldName()) != null) {
      JsonToken value = parser.nextToken();
      switch (name) {
        case "inputTokens" -> {
          seen = once(seen, 0);
          input = longValue(parser, value);
        }
        case "cacheReadInputTokens" -> {
          seen = once(seen, 1);
          cacheRead = longValue(parser, value);
        }
        case "cacheCreationInputTokens" -> {
          seen = once(seen, 2);
          cacheCreation = longValue(parser, value);
        }
        case "outputTokens" -> {
          seen = once(seen, 3);
          output = longValue(parser, value);
        }
        case "reasoningTokens" -> {
          seen = once(seen, 4);
          reasoning = longValue(parser, value);
        }
        case "totalTokens" -> {
          seen = once(seen, 5);
          total = longValue(parser, value);
        }
        case "source" -> {
          seen = once(seen, 6);
          source = source(parser, value);
        }
        case "streamCompleted" -> {
          seen = once(seen, 7);
          streamCompleted = bool(value);
        }
        default -> parser.skipChildren();
      }
    }
    endOfObject(parser);
    requireSeen(seen, 0, 1, 2, 3, 4, 5, 7);
    return new TokenUsage(input, cacheRead, cacheCreation, output, reasoning, total, source, streamCompleted);
  }

  private static TokenUsage.@Nullable Source source(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_STRING) {
      throw Unusual.INSTANCE;
    }
    String text = parser.getText();
    TokenUsage.Source[] sources = TokenUsage.Source.values();
    for (int i = 0; i < SOURCES.length; i++) {
      if (SOURCES[i].equals(text)) {
        return sources[i];
      }
    }
    throw Unusual.INSTANCE;
  }

  private static @Nullable String text(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    throw Unusual.INSTANCE;
  }

  private static int intValue(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw Unusual.INSTANCE;
    }
    return parser.getIntValue(); // out of range: an exception, left to data binding
  }

  private static long longValue(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw Unusual.INSTANCE;
    }
    return parser.getLongValue();
  }

  private static boolean bool(JsonToken token) {
    if (token == JsonToken.VALUE_TRUE) {
      return true;
    }
    if (token == JsonToken.VALUE_FALSE) {
      return false;
    }
    throw Unusual.INSTANCE;
  }

  private static @Nullable Instant instant(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_STRING) {
      throw Unusual.INSTANCE;
    }
    return instant(parser.getText());
  }

  /**
   * The instant of {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} with one to nine fraction digits — what
   * {@link Instant#toString()} writes for years 0000 to 9999 — parsed by hand; any other text is unusual.
   */
  static Instant instant(String text) {
    int length = text.length();
    if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
      throw Unusual.INSTANCE;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    if (hour > 23 || minute > 59 || second > 59) {
      throw Unusual.INSTANCE;
    }
    int nanos = 0;
    if (length > 20) {
      int fraction = length - 21; // between '.' and 'Z'
      if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        throw Unusual.INSTANCE;
      }
      nanos = digits(text, 20, 20 + fraction);
      for (int i = fraction; i < 9; i++) {
        nanos *= 10;
      }
    }
    long days = LocalDate.of(year, month, day).toEpochDay(); // an impossible date: DateTimeException
    return Instant.ofEpochSecond(days * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
  }

  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        throw Unusual.INSTANCE;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private static void endOfObject(JsonParser parser) {
    if (parser.currentToken() != JsonToken.END_OBJECT) {
      throw Unusual.INSTANCE;
    }
  }

  /** Marks field {@code bit} as seen; a field given twice is left to data binding. */
  private static int once(int seen, int bit) {
    int mask = 1 << bit;
    if ((seen & mask) != 0) {
      throw Unusual.INSTANCE;
    }
    return seen | mask;
  }

  private static void requireSeen(int seen, int... bits) {
    for (int bit : bits) {
      if ((seen & (1 << bit)) == 0) {
        throw Unusual.INSTANCE;
      }
    }
  }

  private static String[] sourceNames() {
    TokenUsage.Source[] sources = TokenUsage.Source.values();
    String[] names = new String[sources.length];
    for (int i = 0; i < sources.length; i++) {
      names[i] = sources[i].name();
    }
    return names;
  }

  @Override
  public Serializer<UsageEvent> serializer() {
    return this;
  }

  @Override
  public Deserializer<UsageEvent> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}

  /** Input in a shape the lean path leaves to data binding (no stack trace: it is not an error). */
  private static final class Unusual extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Unusual INSTANCE = new Unusual();

    private Unusual() {
      super("left to data binding", null, false, false);
    }
  }
}

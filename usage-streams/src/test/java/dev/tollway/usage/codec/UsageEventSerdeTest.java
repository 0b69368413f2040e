package dev.tollway.usage.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.serde.JsonSerde;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The lean decoder of usage events builds what the contract's databind serde builds, and fails where it fails
 * with the same error: every input below is decoded both ways and the outcomes compared.
 */
class UsageEventSerdeTest {

  private static final String TOPIC = "tollway.usage.v1";
  private static final JsonSerde<UsageEvent> DATABIND = JsonSerde.of(UsageEvent.class);
  private static final UsageEventSerde LEAN = new UsageEventSerde();
  private static final String[] TEXTS = {
    "", "a", "default/llm-route#0", "gpt-4o-mini", "claude-sonnet-4-20250514", "é", "ルート", "emoji 🚀 and \"quotes\"",
    "back\\slash", "tab\tnew\nline", "\u0000nul", "x".repeat(300)
  };

  @Test
  void shouldDecodeManyVariedEventsAsTheDatabindSerdeDoes() {
    // Given many events with every optional field present or absent, unicode, escapes and extreme numbers
    Random random = new Random(20261126L);
    List<UsageEvent> events = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      events.add(randomEvent(random, i));
    }

    for (UsageEvent event : events) {
      // When each is written as edge-proxy writes it, and as the same JSON with its fields reordered
      byte[] canonical = Json.toBytes(event);
      byte[] reordered = reordered(canonical, random);

      // Then both decoders give the same event, and the lean path did it itself
      for (byte[] bytes : List.of(canonical, reordered)) {
        assertThat(UsageEventSerde.lean(bytes)).as(text(bytes)).isEqualTo(event);
        assertThat(LEAN.deserialize(TOPIC, bytes)).isEqualTo(DATABIND.deserialize(TOPIC, bytes)).isEqualTo(event);
      }
    }
  }

  @Test
  void shouldSkipUnknownFieldsAtEveryLevel() {
    // Given an event with unknown fields of every JSON type, at the top, in the caller and in the tokens
    ObjectNode tree = tree(sample());
    tree.put("future", "field").put("n", 1.5e300).putNull("nothing").put("flag", true);
    tree.putArray("list").add(1).addObject().putArray("deep").add("x");
    tree.putObject("object").putObject("inner").put("eventId", "not-this-one");
    ((ObjectNode) tree.get("caller")).put("department", "R&D").putArray("roles").add("admin");
    ((ObjectNode) tree.get("tokens")).put("audioTokens", 12).putObject("details").put("inputTokens", 999);
    byte[] bytes = Json.toBytes(tree);

    // Then they are skipped, by the lean path itself
    assertThat(UsageEventSerde.lean(bytes)).isEqualTo(sample());
    assertSameOutcome(bytes);
  }

  @Test
  void shouldTreatAbsentAndNullOptionalFieldsAsTheDatabindSerdeDoes() {
    // Given every optional field of the sample, absent and explicitly null
    ObjectNode tree = tree(sample());
    List<String> optional =
        List.of("traceId", "firstTokenTime", "listener", "route", "backend", "provider", "endpoint", "operation",
            "clientApi", "requestModel", "providerModel", "responseModel", "errorClass");
    for (String field : optional) {
      ObjectNode absent = tree.deepCopy();
      absent.remove(field);
      ObjectNode asNull = tree.deepCopy();
      asNull.putNull(field);

      // Then both are decoded by the lean path, as data binding decodes them
      for (ObjectNode variant : List.of(absent, asNull)) {
        byte[] bytes = Json.toBytes(variant);
        assertThat(UsageEventSerde.lean(bytes)).as(field).isNotNull();
        assertSameOutcome(bytes);
      }
    }
    // And caller fields too
    for (String field : List.of("apiKeyId", "apiKeyName", "team", "user")) {
      ObjectNode absent = tree.deepCopy();
      ((ObjectNode) absent.get("caller")).remove(field);
      ObjectNode asNull = tree.deepCopy();
      ((ObjectNode) asNull.get("caller")).putNull(field);
      for (ObjectNode variant : List.of(absent, asNull)) {
        byte[] bytes = Json.toBytes(variant);
        assertThat(UsageEventSerde.lean(bytes)).as(field).isNotNull();
        assertSameOutcome(bytes);
      }
    }
  }

  @Test
  void shouldGiveTheDatabindOutcomeForEveryFieldAbsentNullOrOfAnotherType() {
    // Given the sample with each field, at every level, removed, null, or replaced by a value of another type
    ObjectNode tree = tree(sample());
    List<JsonNode> others =
        List.of(
            JsonNodeFactory.instance.nullNode(),
            JsonNodeFactory.instance.textNode("7"),
            JsonNodeFactory.instance.textNode("true"),
            JsonNodeFactory.instance.textNode("provider"),
            JsonNodeFactory.instance.textNode("2026-11-26T12:00:05+01:00"),
            JsonNodeFactory.instance.textNode("1764158405"),
            JsonNodeFactory.instance.numberNode(3),
            JsonNodeFactory.instance.numberNode(2.7),
            JsonNodeFactory.instance.numberNode(1764158405123L),
            JsonNodeFactory.instance.numberNode(new java.math.BigInteger("92233720368547758070")),
            JsonNodeFactory.instance.booleanNode(true),
            JsonNodeFactory.instance.arrayNode().add("x"),
            JsonNodeFactory.instance.objectNode().put("a", "b"));
    int checked = 0;
    for (String[] path : paths(tree)) {
      ObjectNode removed = tree.deepCopy();
      parent(removed, path).remove(path[path.length - 1]);
      assertSameOutcome(Json.toBytes(removed));
      checked++;
      for (JsonNode other : others) {
        ObjectNode changed = tree.deepCopy();
        parent(changed, path).set(path[path.length - 1], other);
        // Then the outcome (the event, or the error and its message) is data binding's
        assertSameOutcome(Json.toBytes(changed));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(400);
  }

  @Test
  void shouldReadInstantsInOtherFormatsAsTheDatabindSerdeDoes() {
    // Given instants as edge-proxy writes them and in formats it does not write
    List<String> instants =
        List.of(
            "2026-11-26T12:00:05Z", "2026-11-26T12:00:05.1Z", "2026-11-26T12:00:05.123456789Z",
            "2026-11-26T12:00:05.000Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            "2024-02-29T23:59:59Z", "2026-11-26T12:00:05+01:00", "2026-11-26T12:00:05.5+00:00", "2026-11-26T12:00:05z",
            "2026-11-26t12:00:05Z", "2026-11-26T12:00Z", "2026-11-26T24:00:00Z", "2026-11-26T23:59:60Z", "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z", "2026-11-26T12:00:05.1234567890Z", "2026-11-26T12:00:05.Z", "+12026-11-26T12:00:05Z",
            "2026-11-26 12:00:05Z", "1764158405", "1764158405.5", "", "not a time");
    for (String instant : instants) {
      ObjectNode tree = tree(sample());
      tree.put("endTime", instant);

      // Then the outcome is data binding's; the canonical forms are decoded by the lean path itself
      byte[] bytes = Json.toBytes(tree);
      assertSameOutcome(bytes);
      if (instant.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z") && !instant.startsWith("2026-02-30")
          && !instant.contains("T24") && !instant.contains(":60Z") && !instant.startsWith("2026-13")) {
        assertThat(UsageEventSerde.lean(bytes)).as(instant).isNotNull();
        assertThat(UsageEventSerde.lean(bytes).endTime()).isEqualTo(Instant.parse(instant));
      }
    }
  }

  @Test
  void shouldFailOnCorruptInputAsTheDatabindSerdeDoes() {
    // Given input that is not a usage event: empty, not JSON, not an object, truncated at every length,
    // with trailing garbage, a field given twice
    byte[] whole = Json.toBytes(sample());
    List<byte[]> corrupt = new ArrayList<>();
    corrupt.add(new byte[0]);
    corrupt.add(bytes("this is not json"));
    corrupt.add(bytes("[1,2,3]"));
    corrupt.add(bytes("\"a string\""));
    corrupt.add(bytes("null"));
    corrupt.add(bytes("{}"));
    corrupt.add(bytes("{\"schemaVersion\":1,\"requestId\":\"r2\"}"));
    corrupt.add(new byte[] {(byte) 0xB1, 1, 2, 3});
    corrupt.add(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
    for (int length = 1; length < whole.length; length++) {
      corrupt.add(Arrays.copyOf(whole, length));
    }
    String text = new String(whole, StandardCharsets.UTF_8);
    corrupt.add(bytes(text + "}"));
    corrupt.add(bytes(text + " trailing"));
    corrupt.add(bytes(text.replaceFirst("\\{", "{\"eventId\":\"first\",")));
    corrupt.add(bytes(text.replaceFirst("\\{", "{\"status\":500,")));
    corrupt.add(bytes(text.replace("\"tags\":{", "\"tags\":{\"team\":\"a\",\"team\":\"b\",")));
    corrupt.add(bytes(text.replace("\"tags\":{", "\"tags\":{\"n\":null,")));
    corrupt.add(bytes("{" + "\"x\":[".repeat(300) + "]".repeat(300) + "," + text.substring(1)));

    // Then each decodes (or fails) exactly as with data binding
    for (byte[] bytes : corrupt) {
      assertSameOutcome(bytes);
    }
    // And what is not an event at all fails with the serde's exception, which the topology skips and counts
    assertThatThrownBy(() -> LEAN.deserialize(TOPIC, bytes("this is not json"))).isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> LEAN.deserialize(TOPIC, Arrays.copyOf(whole, whole.length / 2)))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith(TOPIC + ": not a valid UsageEvent");
  }

  @Test
  void shouldPassTombstonesAndWriteTheContractJson() {
    // Given / When / Then
    assertThat(LEAN.deserialize(TOPIC, null)).isNull();
    assertThat(LEAN.serialize(TOPIC, sample())).isEqualTo(Json.toBytes(sample()));
    assertThat(LEAN.serialize(TOPIC, null)).isNull();
  }

  private static void assertSameOutcome(byte[] bytes) {
    Object expected = outcome(DATABIND, bytes);
    Object actual = outcome(LEAN, bytes);
    assertThat(actual).as("outcome of %s", text(bytes)).isEqualTo(expected);
  }

  /** The decoded event, or the exception's class and message. */
  private static Object outcome(org.apache.kafka.common.serialization.Deserializer<UsageEvent> serde, byte[] bytes) {
    try {
      return String.valueOf(serde.deserialize(TOPIC, bytes));
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  private static UsageEvent sample() {
    return new UsageEvent(
        1, "e-1", "r-1", "0af7651916cd43dd8448eb211c80319c", 2, true, Instant.parse("2026-11-26T12:00:04.200Z"),
        Instant.parse("2026-11-26T12:00:04.350Z"), Instant.parse("2026-11-26T12:00:05Z"), "default/agentgateway", "http",
        "default/llm-route#0", "default/openai", "openai", "api.openai.com:443", "chat", "openai.chat", "gpt-4o-mini",
        "gpt-4o-mini", "gpt-4o-mini-2024-07-18", true,
        new UsageEvent.Caller("default/keys/checkout", "checkout", "payments", "ana", new TreeMap<>(Map.of("tier", "gold"))),
        200, null, new TokenUsage(1_200, 1_024, 0, 300, 120, 1_500, TokenUsage.Source.provider, true));
  }

  private static UsageEvent randomEvent(Random random, int i) {
    TreeMap<String, String> tags = new TreeMap<>();
    for (int t = random.nextInt(4); t > 0; t--) {
      tags.put(pick(random), pick(random));
    }
    UsageEvent.Caller caller =
        random.nextInt(5) == 0
            ? UsageEvent.Caller.anonymous()
            : new UsageEvent.Caller(maybe(random), maybe(random), maybe(random), maybe(random), tags);
    TokenUsage tokens =
        new TokenUsage(
            number(random), number(random), number(random), number(random), number(random), number(random),
            TokenUsage.Source.values()[random.nextInt(TokenUsage.Source.values().length)], random.nextBoolean());
    Instant end = Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
    return new UsageEvent(
        random.nextInt(3) == 0 ? Integer.MAX_VALUE : 1, "e-" + i + pick(random), "r-" + pick(random), maybe(random),
        intNumber(random), random.nextBoolean(), end.minusMillis(random.nextInt(100_000)),
        random.nextBoolean() ? null : end.minusNanos(random.nextInt(1_000_000)), end, pick(random), maybe(random),
        maybe(random), maybe(random), maybe(random), maybe(random), maybe(random), maybe(random), maybe(random),
        maybe(random), maybe(random), random.nextBoolean(), caller, intNumber(random), maybe(random), tokens);
  }

  private static String pick(Random random) {
    return TEXTS[random.nextInt(TEXTS.length)];
  }

  private static @Nullable String maybe(Random random) {
    return random.nextInt(3) == 0 ? null : pick(random);
  }

  private static long number(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> 0;
      case 1 -> Long.MAX_VALUE;
      case 2 -> Long.MIN_VALUE;
      case 3 -> random.nextInt(100_000);
      default -> random.nextLong();
    };
  }

  private static int intNumber(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> 0;
      case 1 -> Integer.MAX_VALUE;
      case 2 -> Integer.MIN_VALUE;
      default -> random.nextInt(600);
    };
  }

  private static ObjectNode tree(UsageEvent event) {
    return (ObjectNode) Json.mapper().valueToTree(event);
  }

  /** The same JSON with the fields of every object in a shuffled order. */
  private static byte[] reordered(byte[] json, Random random) {
    try {
      return Json.toBytes(shuffled(Json.mapper().readTree(json), random));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode shuffled(JsonNode node, Random random) {
    if (!node.isObject()) {
      return node;
    }
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    node.fields().forEachRemaining(fields::add);
    Collections.shuffle(fields, random);
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : fields) {
      copy.set(field.getKey(), field.getKey().equals("tags") ? field.getValue() : shuffled(field.getValue(), random));
    }
    return copy;
  }

  /** Every field path of the tree, down into objects. */
  private static List<String[]> paths(JsonNode tree) {
    List<String[]> paths = new ArrayList<>();
    Iterator<String> names = tree.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      paths.add(new String[] {name});
      JsonNode child = tree.get(name);
      if (child.isObject()) {
        for (String[] inner : paths(child)) {
          String[] path = new String[inner.length + 1];
          path[0] = name;
          System.arraycopy(inner, 0, path, 1, inner.length);
          paths.add(path);
        }
      }
    }
    return paths;
  }

  private static ObjectNode parent(ObjectNode root, String[] path) {
    ObjectNode node = root;
    for (int i = 0; i < path.length - 1; i++) {
      node = (ObjectNode) node.get(path[i]);
    }
    return node;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

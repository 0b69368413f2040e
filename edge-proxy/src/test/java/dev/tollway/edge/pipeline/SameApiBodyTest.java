package dev.tollway.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.GatewayException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SameApiBody#scan}: takes exactly the bodies that, parsed whole under the same limits, are objects with
 * a string model, a non-empty messages array and no stream — and never one that the whole parse refuses.
 */
class SameApiBodyTest {

  private static final RequestLimits LIMITS = new RequestLimits(8, 4096);

  private static final List<String> VALID = List.of(
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      "{ \"messages\" : [ {\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"caf\\u00e9 \\\"x\\\"\"}]},"
          + " {\"role\":\"user\",\"content\":\"h\u00e9 \uD83D\uDE00\"} ],\n \"temperature\": 1.50, \"stream\": false,"
          + " \"logit_bias\": {\"50256\": -100}, \"stop\": null, \"model\": \"m\", \"n\": 1e2, \"x\": [true, null] }",
      "{\"stream\":null,\"model\":\"\",\"messages\":[1],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
          + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]}");

  @Test
  void shouldTakeAPlainChatBodyWithItsModelAndKeepItsBytes() {
    byte[] body = VALID.get(1).getBytes(StandardCharsets.UTF_8);

    SameApiBody scanned = SameApiBody.scan(body, LIMITS);

    assertThat(scanned).isNotNull();
    assertThat(scanned.model()).isEqualTo("m");
    assertThat(scanned.bytes()).isSameAs(body);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"model\":\"m\",\"stream\":true,\"messages\":[{}]}",
    "{\"model\":\"m\",\"stream\":\"no\",\"messages\":[{}]}",
    "{\"messages\":[{}]}",
    "{\"model\":null,\"messages\":[{}]}",
    "{\"model\":5,\"messages\":[{}]}",
    "{\"model\":\"m\"}",
    "{\"model\":\"m\",\"messages\":[]}",
    "{\"model\":\"m\",\"messages\":\"hi\"}",
    "[{\"model\":\"m\",\"messages\":[{}]}]",
    "",
    "   ",
  })
  void shouldLeaveToTheDecoderABodyThatIsNotAPlainNonStreamedChat(String body) {
    assertThat(SameApiBody.scan(body.getBytes(StandardCharsets.UTF_8), LIMITS)).isNull();
  }

  @Test
  void shouldLeaveToTheDecoderEveryBodyTheWholeParseRefuses() {
    String model = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":";
    List<byte[]> refused = List.of(
        utf8(model + "\"a\"},{\"role\":\"user\",\"role\":\"x\",\"content\":\"b\"}]}"),              // duplicate key, deep
        utf8(model + "[[[[[[[[\"deep\"]]]]]]]]}]}"),                                            // over 8 levels
        utf8(model + "1" + "0".repeat(100) + "}]}"),                                            // a 101-digit number
        utf8(model + "1." + "0".repeat(100) + "}]}"),                                           // a long fraction
        utf8(model + "\"" + "x".repeat(5000) + "\"}]}"),                                        // longer than the string limit
        concat(utf8(model + "\"ok "), new byte[] {(byte) 0xC3, (byte) 0x28}, utf8("\"}]}")),    // invalid UTF-8
        concat(utf8(model + "\"ok "), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, utf8("\"}]}")),
        utf8(model + "\"a\"}]"));                                                               // truncated
    for (byte[] body : refused) {
      assertThat(wholeParse(body)).as(new String(body, StandardCharsets.UTF_8)).isNull();
      assertThat(SameApiBody.scan(body, LIMITS)).as(new String(body, StandardCharsets.UTF_8)).isNull();
    }
  }

  @Test
  void shouldAgreeWithTheWholeParseOnEveryTruncationAndByteChangeOfValidBodies() {
    // Given every prefix of the valid bodies, and every one of them with one byte replaced by a hostile one
    byte[] hostile = {'"', '\\', '{', '}', '[', ']', ',', ':', '0', 't', ' ', (byte) 0x80, (byte) 0xC3, (byte) 0xFF, 0};
    List<byte[]> bodies = new ArrayList<>();
    for (String valid : VALID) {
      byte[] bytes = utf8(valid);
      for (int end = 0; end <= bytes.length; end++) {
        bodies.add(java.util.Arrays.copyOf(bytes, end));
      }
      for (int at = 0; at < bytes.length; at++) {
        for (byte b : hostile) {
          byte[] changed = bytes.clone();
          changed[at] = b;
          bodies.add(changed);
        }
      }
    }
    // Then the scan takes a body exactly when the whole parse says it is a plain non-streamed chat
    int taken = 0;
    for (byte[] body : bodies) {
      String expected = plainChatModel(wholeParse(body));
      SameApiBody scanned = SameApiBody.scan(body, LIMITS);
      assertThat(scanned == null ? null : scanned.model())
          .as(new String(body, StandardCharsets.ISO_8859_1))
          .isEqualTo(expected);
      taken += scanned == null ? 0 : 1;
    }
    assertThat(taken).isGreaterThan(VALID.size());
  }

  private static @Nullable JsonNode wholeParse(byte[] body) {
    try {
      return LIMITS.parseObject(body);
    } catch (GatewayException e) {
      return null;
    }
  }

  /** What the decoding path would send as it is: the model, or null when the body is not a plain chat. */
  private static @Nullable String plainChatModel(@Nullable JsonNode json) {
    if (json == null || !json.isObject()) {
      return null;
    }
    JsonNode model = json.get("model");
    JsonNode messages = json.get("messages");
    JsonNode stream = json.get("stream");
    boolean plain = model != null && model.isTextual() && messages != null && messages.isArray() && !messages.isEmpty()
        && (stream == null || stream.isNull() || (stream.isBoolean() && !stream.booleanValue()));
    return plain ? model.textValue() : null;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}

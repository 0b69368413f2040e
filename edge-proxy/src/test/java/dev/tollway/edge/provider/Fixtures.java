package dev.tollway.edge.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.schemas.serde.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Fixture files of {@code src/test/resources/fixtures} and ways to feed streams. */
public final class Fixtures {

  private Fixtures() {}

  public static byte[] bytes(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String path) {
    return new String(bytes(path), StandardCharsets.UTF_8);
  }

  public static JsonNode json(String path) {
    return parse(text(path));
  }

  public static JsonNode parse(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same JSON with numbers as a parser reads them, so that built and parsed trees compare equal. */
  public static JsonNode canonical(JsonNode node) {
    return parse(node.toString());
  }

  /** All events of a whole body fed in one chunk, then ended. */
  public static List<ChatEvent> decodeWhole(StreamDecoder decoder, byte[] body) {
    List<ChatEvent> events = new ArrayList<>(decoder.decode(ByteBuffer.wrap(body)));
    events.addAll(decoder.end());
    return events;
  }

  /** All events of a body fed one byte at a time, then ended. */
  public static List<ChatEvent> decodeBytewise(StreamDecoder decoder, byte[] body) {
    List<ChatEvent> events = new ArrayList<>();
    for (byte b : body) {
      events.addAll(decoder.decode(ByteBuffer.wrap(new byte[] {b})));
    }
    events.addAll(decoder.end());
    return events;
  }

  /** All events of a body fed in random chunks of 1 to 64 bytes, then ended. */
  public static List<ChatEvent> decodeRandomChunks(StreamDecoder decoder, byte[] body, long seed) {
    Random random = new Random(seed);
    List<ChatEvent> events = new ArrayList<>();
    int at = 0;
    while (at < body.length) {
      int length = Math.min(body.length - at, 1 + random.nextInt(64));
      events.addAll(decoder.decode(ByteBuffer.wrap(body, at, length)));
      at += length;
    }
    events.addAll(decoder.end());
    return events;
  }

  /** Concatenated bytes. */
  public static byte[] concat(List<byte[]> parts) {
    int size = parts.stream().mapToInt(p -> p.length).sum();
    ByteBuffer out = ByteBuffer.allocate(size);
    parts.forEach(out::put);
    return out.array();
  }
}

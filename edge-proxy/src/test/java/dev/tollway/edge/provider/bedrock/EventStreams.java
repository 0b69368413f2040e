package dev.tollway.edge.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.provider.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * ConverseStream bodies for tests: fixture files list the frames ({@code headers} and JSON {@code payload});
 * they are framed with the AWS SDK's own encoder, or by hand from the format's description.
 */
final class EventStreams {

  private EventStreams() {}

  /** The binary body of a {@code *.events.json} fixture, framed by the AWS SDK's encoder. */
  static byte[] fixture(String path) {
    return encode(Fixtures.json(path));
  }

  static byte[] encode(JsonNode frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (JsonNode frame : frames) {
      out.writeBytes(frame(frame));
    }
    return out.toByteArray();
  }

  /** One frame of a fixture, by the AWS SDK's encoder. */
  static byte[] frame(JsonNode frame) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    frame.path("headers").properties().forEach(h -> headers.put(h.getKey(), HeaderValue.fromString(h.getValue().asText())));
    Message message = new Message(headers, frame.path("payload").toString().getBytes(StandardCharsets.UTF_8));
    ByteBuffer buffer = message.toByteBuffer();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  /**
   * One frame built by hand from the format's description, independently of the SDK: prelude (total length,
   * headers length, CRC32 of those 8 bytes), headers (name length byte, name, type 7 = string, value length
   * as two bytes, value), payload, CRC32 of everything before it. All integers big-endian.
   */
  static byte[] handBuilt(Map<String, String> headers, String payload) {
    ByteArrayOutputStream headerBytes = new ByteArrayOutputStream();
    for (Map.Entry<String, String> header : headers.entrySet()) {
      byte[] name = header.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = header.getValue().getBytes(StandardCharsets.UTF_8);
      headerBytes.write(name.length);
      headerBytes.writeBytes(name);
      headerBytes.write(7);
      headerBytes.write((value.length >> 8) & 0xFF);
      headerBytes.write(value.length & 0xFF);
      headerBytes.writeBytes(value);
    }
    byte[] payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
    int total = 12 + headerBytes.size() + payloadBytes.length + 4;
    ByteBuffer frame = ByteBuffer.allocate(total);
    frame.putInt(total);
    frame.putInt(headerBytes.size());
    CRC32 preludeCrc = new CRC32();
    preludeCrc.update(frame.array(), 0, 8);
    frame.putInt((int) preludeCrc.getValue());
    frame.put(headerBytes.toByteArray());
    frame.put(payloadBytes);
    CRC32 messageCrc = new CRC32();
    messageCrc.update(frame.array(), 0, total - 4);
    frame.putInt((int) messageCrc.getValue());
    return frame.array();
  }
}

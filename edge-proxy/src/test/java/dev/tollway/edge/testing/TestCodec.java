package dev.tollway.edge.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatMessage;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.ContentPart;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.GenerationParams;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.llm.StreamEncoder;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.schemas.serde.Json;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A small JSON chat format standing in for a real one in tests. Every body and event it writes carries a
 * {@code format} tag, so a test sees whether an answer was translated or relayed as the provider sent it.
 *
 * <pre>
 * request:  {"model":"m","stream":false,"messages":[{"role":"user","content":"hi"}]}
 * response: {"format":"oa","id":"r1","model":"m","text":"hello","usage":{"input":3,"output":2}}
 * stream:   data: {"type":"start","id":"r1","model":"m"}\n\n  data: {"type":"text","text":"he"}\n\n
 *           data: {"type":"usage","input":3,"output":2}\n\n  data: [DONE]\n\n
 * error:    {"error":{"format":"oa","code":"ROUTE_NOT_FOUND","message":"..."}}
 * </pre>
 */
public final class TestCodec implements ChatCodec {

  private final ChatFormat format;
  private final String tag;

  public TestCodec(ChatFormat format, String tag) {
    this.format = format;
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }

  @Override
  public ChatFormat format() {
    return format;
  }

  @Override
  public ChatRequest decodeRequest(JsonNode body) {
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray()) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST, "messages: required");
    }
    List<ChatMessage> list = new ArrayList<>();
    for (JsonNode message : messages) {
      list.add(ChatMessage.text(ChatMessage.Role.valueOf(message.path("role").asText("user")),
          message.path("content").asText("")));
    }
    String model = body.path("model").isTextual() ? body.get("model").asText() : null;
    boolean stream = body.path("stream").asBoolean(false);
    return new ChatRequest(model, list, List.of(), null, GenerationParams.defaults(), stream, stream, format, body);
  }

  @Override
  public ObjectNode encodeResponse(ChatResponse response, ChatRequest request) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("format", tag);
    json.put("id", response.id());
    json.put("model", response.model());
    StringBuilder text = new StringBuilder();
    response.content().forEach(p -> text.append(p instanceof ContentPart.Text t ? t.text() : ""));
    json.put("text", text.toString());
    if (response.usage() != null) {
      json.putObject("usage").put("input", response.usage().input()).put("output", response.usage().output());
    }
    return json;
  }

  @Override
  public StreamEncoder streamEncoder(ChatRequest request) {
    return new Encoder();
  }

  @Override
  public ObjectNode encodeError(GatewayException error) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.putObject("error").put("format", tag).put("code", error.reason().name()).put("message", error.getMessage());
    return json;
  }

  @Override
  public ObjectNode encodeRequest(ChatRequest request) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("format", tag);
    json.put("model", request.model());
    json.put("stream", request.stream());
    var messages = json.putArray("messages");
    for (ChatMessage message : request.messages()) {
      messages.addObject().put("role", message.role().name()).put("content", message.text());
    }
    return json;
  }

  @Override
  public ChatResponse decodeResponse(JsonNode body) {
    if (!body.has("text")) {
      throw new GatewayException(ErrorReason.UPSTREAM_ERROR, "not an answer");
    }
    JsonNode usage = body.get("usage");
    TokenCounts counts = usage == null ? null
        : new TokenCounts(usage.path("input").asLong(), 0, 0, usage.path("output").asLong(), 0);
    return new ChatResponse(
        body.path("id").asText(null), body.path("model").asText(null),
        List.of(new ContentPart.Text(body.get("text").asText())), List.of(), FinishReason.stop, counts, null,
        format, body);
  }

  @Override
  public StreamDecoder streamDecoder() {
    return new Decoder();
  }

  @Override
  public GatewayException decodeError(int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
    ErrorReason reason = status == 429 ? ErrorReason.UPSTREAM_RATE_LIMITED
        : status == 401 || status == 403 ? ErrorReason.UPSTREAM_UNAUTHORIZED
        : status < 500 ? ErrorReason.UPSTREAM_BAD_REQUEST
        : ErrorReason.UPSTREAM_ERROR;
    String message = body == null ? "no body" : body.path("error").path("message").asText("provider error");
    int clientStatus = reason == ErrorReason.UPSTREAM_UNAUTHORIZED ? 502 : status;
    return new GatewayException(reason, clientStatus, "provider said: " + message, retryAfter, null);
  }

  /** One SSE event of this format. */
  public static String event(String json) {
    return "data: " + json + "\n\n";
  }

  public static final String DONE = "data: [DONE]\n\n";

  private final class Encoder implements StreamEncoder {
    @Override
    public byte[] encode(ChatEvent event) {
      ObjectNode json = JsonNodeFactory.instance.objectNode().put("format", tag);
      if (event instanceof ChatEvent.Start start) {
        json.put("type", "start").put("id", start.id()).put("model", start.model());
      } else if (event instanceof ChatEvent.TextDelta text) {
        json.put("type", "text").put("text", text.text());
      } else if (event instanceof ChatEvent.Usage usage) {
        json.put("type", "usage").put("input", usage.counts().input()).put("output", usage.counts().output());
      } else {
        return new byte[0];
      }
      return event(json.toString()).getBytes(UTF_8);
    }

    @Override
    public byte[] finish(@Nullable GatewayException error) {
      if (error == null) {
        return DONE.getBytes(UTF_8);
      }
      ObjectNode json = JsonNodeFactory.instance.objectNode().put("format", tag).put("type", "error")
          .put("code", error.reason().name());
      return event(json.toString()).getBytes(UTF_8);
    }
  }

  private final class Decoder implements StreamDecoder {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean completed;

    @Override
    public List<ChatEvent> decode(ByteBuffer chunk) {
      byte[] bytes = new byte[chunk.remaining()];
      chunk.get(bytes);
      pending.writeBytes(bytes);
      List<ChatEvent> events = new ArrayList<>();
      String text = pending.toString(UTF_8);
      int end;
      while ((end = text.indexOf("\n\n")) >= 0) {
        String line = text.substring(0, end).strip();
        text = text.substring(end + 2);
        parse(line, events);
      }
      pending.reset();
      pending.writeBytes(text.getBytes(UTF_8));
      return events;
    }

    private void parse(String line, List<ChatEvent> events) {
      if (!line.startsWith("data: ")) {
        return;
      }
      String data = line.substring(6);
      if (data.equals("[DONE]")) {
        completed = true;
        return;
      }
      JsonNode json;
      try {
        json = Json.mapper().readTree(data);
      } catch (java.io.IOException e) {
        throw new GatewayException(ErrorReason.UPSTREAM_ERROR, "bad event");
      }
      switch (json.path("type").asText()) {
        case "start" -> events.add(new ChatEvent.Start(json.path("id").asText(null), json.path("model").asText(null)));
        case "text" -> events.add(new ChatEvent.TextDelta(json.path("text").asText()));
        case "usage" -> events.add(new ChatEvent.Usage(
            new TokenCounts(json.path("input").asLong(), 0, 0, json.path("output").asLong(), 0)));
        case "error" -> events.add(new ChatEvent.Failure(
            new GatewayException(ErrorReason.UPSTREAM_ERROR, json.path("message").asText("provider error"))));
        default -> { }
      }
    }

    @Override
    public List<ChatEvent> end() {
      return List.of();
    }

    @Override
    public boolean completed() {
      return completed;
    }
  }
}

package dev.tollway.edge.provider.azureopenai;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.llm.StreamEncoder;
import dev.tollway.edge.provider.openai.OpenAiChatCodec;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Azure OpenAI speaks OpenAI's chat format, so this is the OpenAI codec with two differences: Azure opens a
 * stream with a chunk that carries only {@code prompt_filter_results} (empty {@code id}, {@code model} and
 * {@code choices}), whose blank id and model are not passed on as the answer's; and errors name
 * {@code azureopenai}. Pure and thread-safe.
 */
public final class AzureOpenAiChatCodec implements ChatCodec {

  private final OpenAiChatCodec openai;

  public AzureOpenAiChatCodec(OpenAiChatCodec openai) {
    this.openai = requireNonNull(openai, "openai");
  }

  @Override
  public ChatFormat format() {
    return ChatFormat.OPENAI_CHAT;
  }

  @Override
  public ChatRequest decodeRequest(JsonNode body) {
    return openai.decodeRequest(body);
  }

  @Override
  public ObjectNode encodeResponse(ChatResponse response, ChatRequest request) {
    return openai.encodeResponse(response, request);
  }

  @Override
  public StreamEncoder streamEncoder(ChatRequest request) {
    return openai.streamEncoder(request);
  }

  @Override
  public ObjectNode encodeError(GatewayException error) {
    return openai.encodeError(error);
  }

  @Override
  public ObjectNode encodeRequest(ChatRequest request) {
    return openai.encodeRequest(request);
  }

  /** As OpenAI's: the request body is OpenAI's own. */
  @Override
  public boolean keepsOwnFormatButModel() {
    return openai.keepsOwnFormatButModel();
  }

  @Override
  public ChatResponse decodeResponse(JsonNode body) {
    return openai.decodeResponse(body);
  }

  @Override
  public StreamDecoder streamDecoder() {
    return new BlankStartDecoder(openai.streamDecoder());
  }

  /** Azure's error body is OpenAI's ({@code error.message}, {@code error.code} such as {@code content_filter}). */
  @Override
  public GatewayException decodeError(int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
    String message = null;
    if (body != null) {
      JsonNode error = body.get("error");
      message = error != null && error.isObject() ? Fields.text(error, "message") : Fields.text(body, "message");
    }
    return UpstreamErrors.fromStatus("azureopenai", status, message, retryAfter);
  }

  /** The OpenAI stream decoder, with a blank id or model of the first chunk read as absent. */
  private static final class BlankStartDecoder implements StreamDecoder {

    private final StreamDecoder delegate;

    BlankStartDecoder(StreamDecoder delegate) {
      this.delegate = delegate;
    }

    @Override
    public List<ChatEvent> decode(ByteBuffer chunk) {
      return normalize(delegate.decode(chunk));
    }

    @Override
    public List<ChatEvent> end() {
      return normalize(delegate.end());
    }

    @Override
    public boolean completed() {
      return delegate.completed();
    }

    private static List<ChatEvent> normalize(List<ChatEvent> events) {
      List<ChatEvent> out = new ArrayList<>(events.size());
      for (ChatEvent event : events) {
        if (event instanceof ChatEvent.Start start) {
          out.add(new ChatEvent.Start(blankToNull(start.id()), blankToNull(start.model())));
        } else {
          out.add(event);
        }
      }
      return out;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
      return value == null || value.isBlank() ? null : value;
    }
  }
}

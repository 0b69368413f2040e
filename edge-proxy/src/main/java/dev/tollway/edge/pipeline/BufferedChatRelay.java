package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.AnswerSkeleton;
import dev.tollway.edge.provider.wire.UsageShapes;
import dev.tollway.edge.upstream.UpstreamCall;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A non-streamed chat answer: read whole (bounded) and sent to the client in its API. When both speak the
 * same format the provider's bytes go unchanged and, when its counts are in a shape Tollway knows, only the
 * model and the counts are read ({@link AnswerSkeleton}, {@link UsageShapes}); otherwise the answer is decoded
 * with the provider's codec (and re-encoded with the client's when the formats differ). The client's request
 * is known decoded whenever the formats differ; it is null when the client's bytes went to the provider.
 */
final class BufferedChatRelay extends RelayBase {

  private final ChatCodec clientCodec;
  private final ChatCodec providerCodec;
  private final @Nullable ChatRequest clientRequest;
  private final BoundedBody body = new BoundedBody(BoundedBody.MAX_BYTES);
  private int status;
  private HeaderMap headers = new HeaderMap();

  BufferedChatRelay(
      HttpServerExchange exchange,
      PipelineContext context,
      String endpoint,
      ChatCodec clientCodec,
      ChatCodec providerCodec,
      @Nullable ChatRequest clientRequest,
      AttemptOutcome outcome) {
    super(exchange, context, endpoint, outcome);
    this.clientCodec = clientCodec;
    this.providerCodec = providerCodec;
    this.clientRequest = clientRequest;
  }

  @Override
  protected void responseStarted(UpstreamCall call, int status, HeaderMap headers) {
    this.status = status;
    this.headers = headers;
  }

  @Override
  public void onBodyChunk(UpstreamCall call, ByteBuffer chunk) {
    if (!body.append(chunk)) {
      call.cancel();
      fail(new GatewayException(ErrorReason.UPSTREAM_ERROR,
          "the provider's answer is larger than " + BoundedBody.MAX_BYTES + " bytes"), status, false);
    }
  }

  @Override
  public void onComplete(UpstreamCall call) {
    byte[] bytes = body.toByteArray();
    if (status >= 400) {
      fail(UpstreamErrors.decode(providerCodec, status, headers, bytes), status, false);
      return;
    }
    byte[] out;
    try {
      boolean sameFormat = clientCodec.format() == providerCodec.format();
      ObjectNode skeleton = sameFormat ? AnswerSkeleton.parse(bytes) : null;
      TokenCounts counts = skeleton == null ? null : UsageShapes.find(skeleton);
      if (sameFormat && skeleton == null) {
        throw new GatewayException(ErrorReason.UPSTREAM_ERROR, "the provider's answer is not JSON");
      }
      if (counts != null) {
        // relayed unchanged with counts in a shape Tollway knows: the content is skipped, not built
        usage.tokens(counts);
        usage.responseModel(UsageShapes.model(skeleton));
        usage.firstToken(context.clock().instant());
        out = bytes;
      } else {
        JsonNode json = UpstreamErrors.parseOrNull(bytes);
        if (json == null || !json.isObject()) {
          throw new GatewayException(ErrorReason.UPSTREAM_ERROR, "the provider's answer is not JSON");
        }
        ChatResponse response = providerCodec.decodeResponse(json);
        usage.tokens(response.usage());
        usage.responseModel(response.model());
        usage.firstToken(context.clock().instant());
        out = sameFormat
            ? bytes
            : clientCodec.encodeResponse(response, requireNonNull(clientRequest, "clientRequest"))
                .toString().getBytes(StandardCharsets.UTF_8);
      }
    } catch (GatewayException e) {
      fail(e, status, false);
      return;
    } catch (RuntimeException e) {
      fail(ErrorResponder.asGatewayException(exchange, e), status, false);
      return;
    }
    commit(status);
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseSender().send(ByteBuffer.wrap(out));
  }

  @Override
  public void onError(UpstreamCall call, GatewayException error) {
    fail(error, 0, true);
  }
}

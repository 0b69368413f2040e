package dev.tollway.edge.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.usage.RequestUsage;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failure into what the client sees: the status and the error body of the
 * client's API (through its codec's {@code encodeError}; OpenAI's shape while no codec is known), plus
 * {@code Retry-After} when the error carries one. An unexpected exception becomes {@code INTERNAL}, logged
 * with the request id; a stack trace never reaches a response.
 */
public final class ErrorResponder {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

  private ErrorResponder() {}

  /** Answers the exchange with the error, or, when the answer has already started, cuts the connection. */
  public static void send(HttpServerExchange exchange, Throwable failure) {
    GatewayException error = asGatewayException(exchange, failure);
    RequestUsage usage = exchange.getAttachment(Attachments.USAGE);
    if (usage != null) {
      usage.errorClass(error.reason().name());
    }
    if (exchange.isResponseStarted()) {
      // Too late for a status: the client must not mistake a truncated answer for a complete one.
      IoUtils.safeClose(exchange.getConnection());
      exchange.endExchange();
      return;
    }
    ChatCodec codec = exchange.getAttachment(Attachments.CLIENT_CODEC);
    ObjectNode body = codec != null ? encodeWith(codec, error) : openAiShape(error);
    exchange.setStatusCode(error.status());
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseHeaders().remove(Headers.CONTENT_LENGTH);
    exchange.getResponseHeaders().remove(Headers.TRANSFER_ENCODING);
    Duration retryAfter = error.retryAfter();
    if (retryAfter != null) {
      exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(Math.max(0, (retryAfter.toMillis() + 999) / 1000)));
    }
    exchange.getResponseSender().send(ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** The gateway error for a failure: itself, or {@code INTERNAL} (logged) for anything unexpected. */
  static GatewayException asGatewayException(HttpServerExchange exchange, Throwable failure) {
    if (failure instanceof GatewayException gateway) {
      return gateway;
    }
    String requestId = exchange.getAttachment(Attachments.REQUEST_ID);
    LOG.error("unexpected failure requestId={} path={}", requestId, exchange.getRequestPath(), failure);
    return new GatewayException(ErrorReason.INTERNAL, "internal error (request " + requestId + ")");
  }

  private static ObjectNode encodeWith(ChatCodec codec, GatewayException error) {
    try {
      return codec.encodeError(error);
    } catch (RuntimeException e) {
      LOG.error("error codec {} failed; answering in the OpenAI shape", codec.format(), e);
      return openAiShape(error);
    }
  }

  /** {@code {"error":{"message","type","code"}}}. */
  public static ObjectNode openAiShape(GatewayException error) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode inner = root.putObject("error");
    inner.put("message", error.getMessage());
    inner.put("type", openAiType(error.status(), error.reason()));
    inner.put("code", error.reason() == ErrorReason.QUOTA_EXCEEDED
        ? "insufficient_quota"
        : error.reason().name().toLowerCase(Locale.ROOT));
    return root;
  }

  private static String openAiType(int status, @Nullable ErrorReason reason) {
    if (status == 401) {
      return "authentication_error";
    }
    if (status == 403) {
      return "permission_error";
    }
    if (status == 404) {
      return "not_found_error";
    }
    if (status == 429) {
      return reason == ErrorReason.QUOTA_EXCEEDED ? "insufficient_quota" : "rate_limit_error";
    }
    if (status < 500) {
      return "invalid_request_error";
    }
    return "server_error";
  }
}

package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.SameThreadExecutor;
import org.xnio.channels.ReadTimeoutException;

/**
 * Reads the request body whole without blocking the IO thread, up to the size limit ({@code
 * REQUEST_TOO_LARGE}, 413, beyond it), then continues the chain with the body attached. A body already read
 * (before routing, for a model match) is not read again.
 */
final class BodyHandler implements HttpHandler {

  private final long maxBytes;
  private final HttpHandler next;

  BodyHandler(long maxBytes, HttpHandler next) {
    this.maxBytes = maxBytes;
    this.next = new GuardHandler(requireNonNull(next, "next"));
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (exchange.getAttachment(Attachments.BODY) != null) {
      next.handleRequest(exchange);
      return;
    }
    long declared = exchange.getRequestContentLength();
    if (declared > maxBytes) {
      throw tooLarge();
    }
    exchange.dispatch(
        SameThreadExecutor.INSTANCE,
        () -> {
          var receiver = exchange.getRequestReceiver();
          receiver.setMaxBufferSize((int) Math.min(Integer.MAX_VALUE, maxBytes));
          receiver.receiveFullBytes(
              (ex, bytes) -> {
                // Undertow runs this callback as a root handler when the body arrived later, and directly
                // when it was already there; calling next directly is right in both cases.
                ex.putAttachment(Attachments.BODY, bytes);
                try {
                  next.handleRequest(ex);
                } catch (Exception e) {
                  ErrorResponder.send(ex, e);
                }
              },
              (ex, error) -> {
                if (error instanceof RequestTooBigException) {
                  ErrorResponder.send(ex, tooLarge());
                } else if (error instanceof ReadTimeoutException) {
                  ErrorResponder.send(
                      ex, new GatewayException(ErrorReason.REQUEST_TIMEOUT, "the request body did not arrive in time"));
                } else {
                  ErrorResponder.send(
                      ex, new GatewayException(ErrorReason.INVALID_REQUEST, "the request body could not be read"));
                }
              });
        });
  }

  private GatewayException tooLarge() {
    return new GatewayException(
        ErrorReason.REQUEST_TOO_LARGE, "the request body is larger than " + maxBytes + " bytes");
  }
}

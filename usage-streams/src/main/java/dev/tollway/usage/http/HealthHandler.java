package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.function.BooleanSupplier;

/** {@code /healthz} or {@code /readyz}: 200 {@code {"status":"ok"}} when the check holds, else 503. */
final class HealthHandler implements HttpHandler {

  private final BooleanSupplier check;

  HealthHandler(BooleanSupplier check) {
    this.check = requireNonNull(check, "check");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    boolean ok = check.getAsBoolean();
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("status", ok ? "ok" : "unavailable");
    JsonResponses.send(exchange, ok ? 200 : 503, body);
  }
}

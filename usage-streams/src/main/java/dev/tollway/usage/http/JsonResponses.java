package dev.tollway.usage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.schemas.serde.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** Writes JSON bodies, including the one error shape of the API. */
final class JsonResponses {

  private JsonResponses() {}

  static void send(HttpServerExchange exchange, int status, JsonNode body) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    exchange.getResponseSender().send(Json.toString(body));
  }

  /** {@code {"error":{"message":"...","code":"invalid_parameter"}}}. */
  static ObjectNode error(ApiError reason, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putObject("error").put("message", message).put("code", reason.code());
    return body;
  }

  static void sendError(HttpServerExchange exchange, ApiError reason, String message) {
    send(exchange, reason.status(), error(reason, message));
  }
}

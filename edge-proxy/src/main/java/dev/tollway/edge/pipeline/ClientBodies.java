package dev.tollway.edge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import io.undertow.server.HttpServerExchange;

/** The JSON object a client API needs as its request body. */
final class ClientBodies {

  private ClientBodies() {}

  /**
   * The body as a JSON object (parsed once, before routing).
   *
   * @throws GatewayException {@code INVALID_REQUEST} saying whether it is empty, not JSON, over a limit of
   *     {@link RequestLimits} (depth, string or number length, a duplicate key, invalid UTF-8), or not an object
   */
  static ObjectNode json(HttpServerExchange exchange, RequestLimits limits) {
    ObjectNode parsed = exchange.getAttachment(Attachments.BODY_JSON);
    if (parsed != null) {
      return parsed;
    }
    byte[] body = exchange.getAttachment(Attachments.BODY);
    if (body == null || body.length == 0) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST, "the request body is empty (expected a JSON object)");
    }
    JsonNode json = limits.parseObject(body);
    if (!(json instanceof ObjectNode object)) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST, "the request body must be a JSON object");
    }
    exchange.putAttachment(Attachments.BODY_JSON, object);
    return object;
  }
}

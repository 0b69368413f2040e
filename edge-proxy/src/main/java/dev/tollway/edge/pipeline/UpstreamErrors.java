package dev.tollway.edge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.schemas.serde.Json;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Reads a provider's error answer into a gateway error through the provider's codec. */
final class UpstreamErrors {

  private UpstreamErrors() {}

  static GatewayException decode(ChatCodec providerCodec, int status, HeaderMap headers, byte[] body) {
    JsonNode json = parseOrNull(body);
    try {
      return providerCodec.decodeError(
          status, json, retryAfter(headers.getFirst(Headers.RETRY_AFTER)), headers::getFirst);
    } catch (RuntimeException e) {
      return new GatewayException(ErrorReason.UPSTREAM_ERROR, "the provider answered " + status);
    }
  }

  static @Nullable JsonNode parseOrNull(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    try {
      return Json.mapper().readTree(body);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /** {@code Retry-After} in seconds (HTTP dates are not honoured). */
  static @Nullable Duration retryAfter(@Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(value.strip());
      return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

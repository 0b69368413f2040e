package dev.tollway.edge.usage;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.schemas.usage.UsageEvent;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured JSON line per request on the SLF4J logger {@code tollway.access}: where it went, the
 * outcome, the models and tokens, and the client API key's id, name and team. Never the prompt, the
 * completion, a key or a header value.
 */
public final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("tollway.access");

  private AccessLog() {}

  public static void write(UsageEvent event, String method, String path) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.info("{}", line(event, method, path));
  }

  /** The JSON line for an event. */
  public static String line(UsageEvent event, String method, String path) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("requestId", event.requestId());
    if (event.traceId() != null) {
      json.put("traceId", event.traceId());
    }
    json.put("method", method);
    json.put("path", path);
    json.put("status", event.status());
    json.put("durationMs", Duration.between(event.startTime(), event.endTime()).toMillis());
    json.put("gateway", event.gateway());
    putIfPresent(json, "listener", event.listener());
    putIfPresent(json, "route", event.route());
    putIfPresent(json, "backend", event.backend());
    putIfPresent(json, "endpoint", event.endpoint());
    putIfPresent(json, "keyId", event.caller().apiKeyId());
    putIfPresent(json, "keyName", event.caller().apiKeyName());
    putIfPresent(json, "team", event.caller().team());
    putIfPresent(json, "gen_ai.provider.name", event.provider());
    putIfPresent(json, "gen_ai.operation.name", event.operation());
    putIfPresent(json, "clientApi", event.clientApi());
    putIfPresent(json, "gen_ai.request.model", event.requestModel());
    putIfPresent(json, "providerModel", event.providerModel());
    putIfPresent(json, "gen_ai.response.model", event.responseModel());
    json.put("streamed", event.streamed());
    putIfPresent(json, "error", event.errorClass());
    if (event.firstTokenTime() != null) {
      json.put("timeToFirstTokenMs", Duration.between(event.startTime(), event.firstTokenTime()).toMillis());
    }
    json.put("gen_ai.usage.input_tokens", event.tokens().inputTokens());
    json.put("gen_ai.usage.output_tokens", event.tokens().outputTokens());
    json.put("tokenSource", event.tokens().source().name());
    return json.toString();
  }

  private static void putIfPresent(ObjectNode json, String name, @org.jspecify.annotations.Nullable String value) {
    if (value != null) {
      json.put(name, value);
    }
  }
}

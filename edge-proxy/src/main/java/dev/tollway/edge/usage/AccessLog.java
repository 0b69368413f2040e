package dev.tollway.edge.usage;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured JSON line per request on the SLF4J logger {@code tollway.access}: ids (request, trace, span),
 * where it went, the outcome and its reason code, the GenAI fields of the OpenTelemetry conventions (provider,
 * operation, request and response model, tokens by type), time to first token, duration, attempts, and the
 * client API key's id, name and team. Never the prompt, the completion, a key or a header value. Cost is not
 * in it: prices are applied by usage-streams, not in the proxy.
 *
 * <p>The line is streamed with a {@link JsonGenerator} (no JSON tree): it is built for every request when the
 * logger is on.
 */
public final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("tollway.access");

  private AccessLog() {}

  /** Logs the line of a request from its events (the last one final), when {@code tollway.access} is on. */
  public static void write(List<UsageEvent> events, String method, String path) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.info(line(events, method, path));
  }

  /** The JSON line of a request from its final event. */
  public static String line(UsageEvent event, String method, String path) {
    return line(List.of(event), method, path);
  }

  /** The JSON line of one request from its events (the last one final). */
  public static String line(List<UsageEvent> events, String method, String path) {
    UsageEvent event = events.get(events.size() - 1);
    Line json = new Line();
    json.string("requestId", event.requestId());
    json.string("traceId", event.traceId());
    json.string("method", method);
    json.string("path", path);
    json.number("status", event.status());
    json.decimal("durationMs", millis(event.startTime(), event.endTime()));
    json.string("gateway", event.gateway());
    json.string("listener", event.listener());
    json.string("route", event.route());
    json.string("backend", event.backend());
    json.string("endpoint", event.endpoint());
    json.string("keyId", event.caller().apiKeyId());
    json.string("keyName", event.caller().apiKeyName());
    json.string("team", event.caller().team());
    json.string("gen_ai.operation.name", event.operation());
    json.string("gen_ai.provider.name", event.provider());
    json.string("clientApi", event.clientApi());
    json.string("gen_ai.request.model", event.requestModel());
    json.string("providerModel", event.providerModel());
    json.string("gen_ai.response.model", event.responseModel());
    json.bool("streamed", event.streamed());
    json.string("error", event.errorClass());
    json.number("attempts", Math.max(0, event.attempt()));
    if (event.firstTokenTime() != null) {
      json.decimal("timeToFirstTokenMs", millis(event.startTime(), event.firstTokenTime()));
    }
    TokenUsage tokens = event.tokens();
    json.number("gen_ai.usage.input_tokens", tokens.inputTokens());
    json.number("gen_ai.usage.output_tokens", tokens.outputTokens());
    json.number("gen_ai.usage.cache_read.input_tokens", tokens.cacheReadInputTokens());
    json.number("gen_ai.usage.cache_creation.input_tokens", tokens.cacheCreationInputTokens());
    json.number("gen_ai.usage.reasoning_tokens", tokens.reasoningTokens());
    json.string("tokenSource", tokens.source().name());
    if (!tokens.streamCompleted()) {
      json.bool("streamCompleted", false);
    }
    return json.end();
  }

  private static double millis(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toNanos()) / 1e6;
  }

  /** A flat JSON object written field by field with the contract's JSON factory (escaping as RFC 8259 says). */
  private static final class Line {
    private final StringWriter out = new StringWriter(640);
    private final JsonGenerator json;

    Line() {
      try {
        json = Json.mapper().getFactory().createGenerator(out);
        json.writeStartObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void string(String name, @Nullable String value) {
      if (value == null) {
        return;
      }
      write(() -> json.writeStringField(name, value));
    }

    void number(String name, long value) {
      write(() -> json.writeNumberField(name, value));
    }

    void decimal(String name, double value) {
      write(() -> json.writeNumberField(name, Math.round(value * 1000) / 1000.0));
    }

    void bool(String name, boolean value) {
      write(() -> json.writeBooleanField(name, value));
    }

    String end() {
      write(() -> {
        json.writeEndObject();
        json.close();
      });
      return out.toString();
    }

    /** Writes to the in-memory writer, which cannot fail. */
    private static void write(Field field) {
      try {
        field.write();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @FunctionalInterface
    private interface Field {
      void write() throws IOException;
    }
  }
}

package dev.tollway.edge.trace;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Spans recorded with the OpenTelemetry SDK: a {@code SERVER} span per request and a {@code CLIENT} span per
 * upstream attempt, with the GenAI attributes of the OpenTelemetry semantic conventions. Parents are passed
 * explicitly ({@link Context#root()} plus the parent span): nothing is kept in thread-locals.
 */
public final class OtelTracing implements Tracing {

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> CACHE_WRITE_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> GATEWAY = AttributeKey.stringKey("tollway.gateway");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("tollway.route");
  static final AttributeKey<String> BACKEND = AttributeKey.stringKey("tollway.backend");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("tollway.request_id");
  static final AttributeKey<String> KEY_ID = AttributeKey.stringKey("tollway.api_key.id");
  static final AttributeKey<Boolean> STREAMED = AttributeKey.booleanKey("tollway.streamed");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("tollway.attempt");
  static final AttributeKey<Long> TTFT_MS = AttributeKey.longKey("tollway.time_to_first_token_ms");

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private OtelTracing(SpanProcessor processor, double sampleRatio, String serviceName) {
    this.provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(
            Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(sampleRatio)))
        .addSpanProcessor(processor)
        .build();
    this.tracer = provider.get("dev.tollway.edge");
  }

  /** Tracing as configured: off without an endpoint, else batched OTLP/HTTP export to it. */
  public static Tracing of(TraceSettings settings) {
    requireNonNull(settings, "settings");
    if (settings.endpoint() == null) {
      return Tracing.off();
    }
    SpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(settings.endpoint().toString()).build();
    return new OtelTracing(BatchSpanProcessor.builder(exporter).build(), settings.sampleRatio(), settings.serviceName());
  }

  /** Spans handed to an exporter as each ends (tests: an in-memory exporter). */
  public static Tracing exportingTo(SpanExporter exporter, double sampleRatio) {
    return new OtelTracing(SimpleSpanProcessor.create(requireNonNull(exporter, "exporter")), sampleRatio,
        "tollway-edge-proxy");
  }

  @Override
  public RequestSpan startRequest(@Nullable TraceContext incoming, Instant start) {
    Context parent = incoming == null
        ? Context.root()
        : Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(incoming.traceId(), incoming.spanId(),
            incoming.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault())));
    Span span = tracer.spanBuilder("tollway request")
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(start)
        .startSpan();
    return new Recorded(span);
  }

  @Override
  public void close() {
    provider.forceFlush().join(5, TimeUnit.SECONDS);
    provider.shutdown().join(5, TimeUnit.SECONDS);
  }

  private static TraceContext contextOf(Span span) {
    SpanContext context = span.getSpanContext();
    return new TraceContext(context.getTraceId(), context.getSpanId(), context.isSampled());
  }

  private final class Recorded implements RequestSpan {
    private final Span span;
    private final TraceContext context;
    private final List<Span> attempts = new ArrayList<>(1);

    Recorded(Span span) {
      this.span = span;
      this.context = contextOf(span);
    }

    @Override
    public TraceContext context() {
      return context;
    }

    @Override
    public TraceContext startAttempt(Instant at) {
      Span attempt = tracer.spanBuilder("tollway upstream")
          .setParent(Context.root().with(span))
          .setSpanKind(SpanKind.CLIENT)
          .setStartTimestamp(at)
          .startSpan();
      attempts.add(attempt);
      return contextOf(attempt);
    }

    @Override
    public void end(String method, String path, List<UsageEvent> events) {
      UsageEvent last = events.get(events.size() - 1);
      for (int i = 0; i < attempts.size(); i++) {
        Span attempt = attempts.get(i);
        UsageEvent event = null;
        for (UsageEvent candidate : events) {
          if (candidate.attempt() == i + 1) {
            event = candidate;
          }
        }
        if (event == null) {
          attempt.end(last.endTime());
          continue;
        }
        attempt.updateName(name(event.operation(), event.providerModel(), "upstream"));
        genAi(attempt, event, event.providerModel());
        attempt.setAttribute(ATTEMPT, (long) event.attempt());
        if (event.endpoint() != null) {
          int colon = event.endpoint().lastIndexOf(':');
          attempt.setAttribute(SERVER_ADDRESS, colon > 0 ? event.endpoint().substring(0, colon) : event.endpoint());
          if (colon > 0) {
            try {
              attempt.setAttribute(SERVER_PORT, Long.parseLong(event.endpoint().substring(colon + 1)));
            } catch (NumberFormatException e) {
              // an endpoint without a numeric port: no server.port
            }
          }
        }
        if (event.status() > 0) {
          attempt.setAttribute(STATUS, (long) event.status());
        }
        outcome(attempt, event);
        attempt.end(event.endTime());
      }
      span.updateName(name(last.operation(), last.requestModel(), method));
      span.setAttribute(METHOD, method);
      span.setAttribute(PATH, path);
      span.setAttribute(STATUS, (long) last.status());
      span.setAttribute(REQUEST_ID, last.requestId());
      span.setAttribute(GATEWAY, last.gateway());
      set(span, ROUTE, last.route());
      set(span, BACKEND, last.backend());
      set(span, KEY_ID, last.caller().apiKeyId());
      span.setAttribute(STREAMED, last.streamed());
      genAi(span, last, last.requestModel());
      if (last.firstTokenTime() != null) {
        span.setAttribute(TTFT_MS, last.firstTokenTime().toEpochMilli() - last.startTime().toEpochMilli());
      }
      outcome(span, last);
      span.end(last.endTime());
    }
  }

  private static String name(@Nullable String operation, @Nullable String model, String fallback) {
    if (operation == null) {
      return fallback;
    }
    return model == null ? operation : operation + " " + model;
  }

  private static void genAi(Span span, UsageEvent event, @Nullable String requestModel) {
    set(span, OPERATION, event.operation());
    set(span, PROVIDER, event.provider());
    set(span, REQUEST_MODEL, requestModel);
    set(span, RESPONSE_MODEL, event.responseModel());
    TokenUsage tokens = event.tokens();
    if (tokens.source() != TokenUsage.Source.none) {
      span.setAttribute(INPUT_TOKENS, tokens.inputTokens());
      span.setAttribute(OUTPUT_TOKENS, tokens.outputTokens());
      if (tokens.cacheReadInputTokens() > 0) {
        span.setAttribute(CACHE_READ_TOKENS, tokens.cacheReadInputTokens());
      }
      if (tokens.cacheCreationInputTokens() > 0) {
        span.setAttribute(CACHE_WRITE_TOKENS, tokens.cacheCreationInputTokens());
      }
    }
  }

  private static void outcome(Span span, UsageEvent event) {
    if (event.errorClass() != null) {
      span.setAttribute(ERROR_TYPE, event.errorClass());
      span.setStatus(StatusCode.ERROR, event.errorClass());
    }
  }

  private static void set(Span span, AttributeKey<String> key, @Nullable String value) {
    if (value != null) {
      span.setAttribute(key, value);
    }
  }
}

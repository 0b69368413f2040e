package dev.tollway.edge.trace;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where and how much the proxy traces. Without an endpoint, tracing is off: requests still join the caller's
 * trace (or start one) and every upstream attempt gets a {@code traceparent} with its own span id, but no span
 * is recorded or exported.
 *
 * @param endpoint the OTLP/HTTP traces URL ({@code http://collector:4318/v1/traces}), or null for off
 * @param sampleRatio the share of new traces recorded (0 to 1); a caller's sampled flag is followed
 * @param serviceName {@code service.name} of the exported spans
 */
public record TraceSettings(@Nullable URI endpoint, double sampleRatio, String serviceName) {

  public static final String ENDPOINT = "TOLLWAY_OTLP_ENDPOINT";
  public static final String SAMPLE_RATIO = "TOLLWAY_TRACE_SAMPLE_RATIO";
  public static final String OTEL_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
  public static final String OTEL_TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
  public static final String OTEL_SERVICE_NAME = "OTEL_SERVICE_NAME";

  public TraceSettings {
    requireNonNull(serviceName, "serviceName");
    if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
      throw new IllegalArgumentException(SAMPLE_RATIO + ": " + sampleRatio + " (expected: a number from 0 to 1)");
    }
  }

  /** Tracing off. */
  public static TraceSettings off() {
    return new TraceSettings(null, 1.0, "tollway-edge-proxy");
  }

  /**
   * Reads {@code TOLLWAY_OTLP_ENDPOINT} (the collector's OTLP/HTTP base URL; {@code /v1/traces} is added), else
   * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (used as it is), else {@code OTEL_EXPORTER_OTLP_ENDPOINT} (base
   * URL); {@code TOLLWAY_TRACE_SAMPLE_RATIO} (default 1); {@code OTEL_SERVICE_NAME} (default
   * {@code tollway-edge-proxy}).
   */
  public static TraceSettings fromEnv(Map<String, String> env) {
    requireNonNull(env, "env");
    URI endpoint = null;
    Optional<String> own = value(env, ENDPOINT);
    Optional<String> traces = value(env, OTEL_TRACES_ENDPOINT);
    Optional<String> base = value(env, OTEL_ENDPOINT);
    if (own.isPresent()) {
      endpoint = url(ENDPOINT, own.get(), true);
    } else if (traces.isPresent()) {
      endpoint = url(OTEL_TRACES_ENDPOINT, traces.get(), false);
    } else if (base.isPresent()) {
      endpoint = url(OTEL_ENDPOINT, base.get(), true);
    }
    double ratio = 1.0;
    Optional<String> ratioText = value(env, SAMPLE_RATIO);
    if (ratioText.isPresent()) {
      try {
        ratio = Double.parseDouble(ratioText.get());
      } catch (NumberFormatException e) {
        ratio = Double.NaN;
      }
      if (!(ratio >= 0 && ratio <= 1)) {
        throw new IllegalArgumentException(SAMPLE_RATIO + ": " + ratioText.get() + " (expected: a number from 0 to 1)");
      }
    }
    return new TraceSettings(endpoint, ratio, value(env, OTEL_SERVICE_NAME).orElse("tollway-edge-proxy"));
  }

  /** Whether spans are recorded and exported. */
  public boolean enabled() {
    return endpoint != null;
  }

  private static URI url(String key, String text, boolean addPath) {
    try {
      URI uri = new URI(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        if (!addPath) {
          return uri;
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        return uri.resolve((path.endsWith("/") ? path : path + "/") + "v1/traces");
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + ": " + text + " (expected: an http or https URL such as http://collector:4318)");
  }

  private static Optional<String> value(Map<String, String> env, String key) {
    String value = env.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}

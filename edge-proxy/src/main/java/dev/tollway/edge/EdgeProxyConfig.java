package dev.tollway.edge;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.trace.TraceSettings;
import dev.tollway.edge.usage.UsageOverflow;
import dev.tollway.schemas.kafka.KafkaSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The edge-proxy's configuration, built once from the environment and validated with messages that name the
 * key and what was expected.
 *
 * @param kafkaBootstrap {@code TOLLWAY_KAFKA_BOOTSTRAP}: Kafka bootstrap servers (required)
 * @param gateway {@code TOLLWAY_GATEWAY}: {@code <namespace>/<name>} of the Gateway to serve, or {@code *} for
 *     every Gateway on the config topic
 * @param bindAddress {@code TOLLWAY_BIND_ADDRESS}: the address listeners bind to (default {@code 0.0.0.0})
 * @param portMap {@code TOLLWAY_PORT_MAP}: declared listener port to local port ({@code 80=8080,443=8443};
 *     {@code 80=0} picks a free port); an unmapped port binds as declared
 * @param adminPort {@code TOLLWAY_ADMIN_PORT}: port of {@code /healthz}, {@code /readyz}, {@code /metrics}
 *     (default 15021; 0 picks a free port)
 * @param stateDir {@code TOLLWAY_STATE_DIR}: where the last good snapshot of each Gateway is kept, if set
 * @param snapshotKey {@code TOLLWAY_SNAPSHOT_KEY}, or the content of {@code TOLLWAY_SNAPSHOT_KEY_FILE}: the
 *     base64 key that opens sealed credentials, if given
 * @param maxRequestBytes {@code TOLLWAY_MAX_REQUEST_BYTES}: largest request body accepted (default 10 MiB)
 * @param upstreamConnectTimeout {@code TOLLWAY_UPSTREAM_CONNECT_TIMEOUT} (default 5s)
 * @param upstreamTimeout {@code TOLLWAY_UPSTREAM_TIMEOUT}: per upstream attempt, until the last byte
 *     (default 300s)
 * @param drainTimeout {@code TOLLWAY_DRAIN_TIMEOUT}: how long {@code close()} waits for requests in flight
 *     (default 30s)
 * @param ioThreads {@code TOLLWAY_IO_THREADS}: Undertow IO threads (default: the number of cores, at least 2)
 * @param usageQueueCapacity {@code TOLLWAY_USAGE_QUEUE}: usage events held in memory while Kafka is slow
 *     (default 10000)
 * @param kafkaProperties every other {@code TOLLWAY_KAFKA_<NAME>} as the Kafka client property {@code <name>}
 *     (lower case, {@code _} as {@code .}), for TLS and SASL settings; given to the config and quota consumers and
 *     the usage producer, through the {@link KafkaSettings} every service shares (see
 *     {@link #kafka()})
 * @param usageOverflow {@code TOLLWAY_USAGE_OVERFLOW}: {@code drop} (default) or {@code fail-closed}, when the
 *     usage buffer is full
 * @param usageSpoolMaxBytes {@code TOLLWAY_USAGE_SPOOL_MAX_BYTES}: the most the usage spool holds on disk, in
 *     {@code TOLLWAY_STATE_DIR/usage-spool} (default 1 GiB)
 * @param maxHeaderBytes {@code TOLLWAY_MAX_HEADER_BYTES}: the largest request header block (default 64 KiB)
 * @param maxJsonDepth {@code TOLLWAY_MAX_JSON_DEPTH}: the deepest nesting in a request body (default 64)
 * @param maxJsonStringLength {@code TOLLWAY_MAX_JSON_STRING_LENGTH}: the longest string in a request body
 *     (default 8388608 characters)
 * @param clientReadTimeout {@code TOLLWAY_CLIENT_READ_TIMEOUT}: how long a client may take to send its request
 *     headers, and between two reads of its body (default 30s)
 * @param clientIdleTimeout {@code TOLLWAY_CLIENT_IDLE_TIMEOUT}: how long a kept-alive connection may wait for its
 *     next request (default 60s)
 * @param tracing {@code TOLLWAY_OTLP_ENDPOINT} (or {@code OTEL_EXPORTER_OTLP_ENDPOINT}),
 *     {@code TOLLWAY_TRACE_SAMPLE_RATIO}: see {@link TraceSettings}
 */
public record EdgeProxyConfig(
    String kafkaBootstrap,
    String gateway,
    String bindAddress,
    Map<Integer, Integer> portMap,
    int adminPort,
    @Nullable Path stateDir,
    @Nullable String snapshotKey,
    long maxRequestBytes,
    Duration upstreamConnectTimeout,
    Duration upstreamTimeout,
    Duration drainTimeout,
    int ioThreads,
    int usageQueueCapacity,
    SortedMap<String, String> kafkaProperties,
    UsageOverflow usageOverflow,
    long usageSpoolMaxBytes,
    int maxHeaderBytes,
    int maxJsonDepth,
    int maxJsonStringLength,
    Duration clientReadTimeout,
    Duration clientIdleTimeout,
    TraceSettings tracing) {

  public static final String ALL_GATEWAYS = "*";


  public EdgeProxyConfig {
    requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    requireNonNull(gateway, "gateway");
    requireNonNull(bindAddress, "bindAddress");
    portMap = Map.copyOf(portMap);
    requireNonNull(upstreamConnectTimeout, "upstreamConnectTimeout");
    requireNonNull(upstreamTimeout, "upstreamTimeout");
    requireNonNull(drainTimeout, "drainTimeout");
    kafkaProperties = Collections.unmodifiableSortedMap(new TreeMap<>(kafkaProperties));
    requireNonNull(usageOverflow, "usageOverflow");
    requireNonNull(clientReadTimeout, "clientReadTimeout");
    requireNonNull(clientIdleTimeout, "clientIdleTimeout");
    requireNonNull(tracing, "tracing");
  }

  /** Builds and validates the configuration from environment variables. */
  public static EdgeProxyConfig fromEnv(Map<String, String> env) {
    requireNonNull(env, "env");
    KafkaSettings kafka = KafkaSettings.fromEnv(env);
    String bootstrap = kafka.bootstrapServers();
    String gateway = optional(env, "TOLLWAY_GATEWAY").orElse(ALL_GATEWAYS);
    if (!gateway.equals(ALL_GATEWAYS) && !gateway.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
      throw invalid("TOLLWAY_GATEWAY", gateway, "<namespace>/<name> of a Gateway, or *");
    }
    String bind = optional(env, "TOLLWAY_BIND_ADDRESS").orElse("0.0.0.0");
    Map<Integer, Integer> portMap = parsePortMap(optional(env, "TOLLWAY_PORT_MAP").orElse(""));
    int adminPort = port(env, "TOLLWAY_ADMIN_PORT", 15021);
    Path stateDir = optional(env, "TOLLWAY_STATE_DIR").map(Path::of).orElse(null);
    String key = snapshotKey(env);
    long maxRequestBytes = positiveLong(env, "TOLLWAY_MAX_REQUEST_BYTES", 10L * 1024 * 1024);
    if (maxRequestBytes > Integer.MAX_VALUE - 8) {
      throw invalid("TOLLWAY_MAX_REQUEST_BYTES", String.valueOf(maxRequestBytes), "at most 2 GiB");
    }
    Duration connect = duration(env, "TOLLWAY_UPSTREAM_CONNECT_TIMEOUT", Duration.ofSeconds(5));
    Duration upstream = duration(env, "TOLLWAY_UPSTREAM_TIMEOUT", Duration.ofSeconds(300));
    Duration drain = duration(env, "TOLLWAY_DRAIN_TIMEOUT", Duration.ofSeconds(30));
    int ioThreads =
        (int) positiveLong(env, "TOLLWAY_IO_THREADS", Math.max(2, Runtime.getRuntime().availableProcessors()));
    int usageQueue = (int) Math.min(10_000_000, positiveLong(env, "TOLLWAY_USAGE_QUEUE", 10_000));
    UsageOverflow overflow;
    try {
      overflow = UsageOverflow.parse(optional(env, "TOLLWAY_USAGE_OVERFLOW").orElse("drop"));
    } catch (IllegalArgumentException e) {
      throw invalid("TOLLWAY_USAGE_OVERFLOW", env.get("TOLLWAY_USAGE_OVERFLOW"), "drop or fail-closed");
    }
    long spoolMax = positiveLong(env, "TOLLWAY_USAGE_SPOOL_MAX_BYTES", 1024L * 1024 * 1024);
    int maxHeader = (int) Math.min(Integer.MAX_VALUE, positiveLong(env, "TOLLWAY_MAX_HEADER_BYTES", 64 * 1024));
    int maxDepth = (int) Math.min(10_000, positiveLong(env, "TOLLWAY_MAX_JSON_DEPTH", 64));
    int maxString = (int) Math.min(Integer.MAX_VALUE - 8, positiveLong(env, "TOLLWAY_MAX_JSON_STRING_LENGTH", 8L * 1024 * 1024));
    Duration readTimeout = duration(env, "TOLLWAY_CLIENT_READ_TIMEOUT", Duration.ofSeconds(30));
    Duration idleTimeout = duration(env, "TOLLWAY_CLIENT_IDLE_TIMEOUT", Duration.ofSeconds(60));
    return new EdgeProxyConfig(
        bootstrap, gateway, bind, portMap, adminPort, stateDir, key, maxRequestBytes, connect, upstream, drain,
        ioThreads, usageQueue, kafka.clientProperties(), overflow, spoolMax, maxHeader, maxDepth, maxString,
        readTimeout, idleTimeout, TraceSettings.fromEnv(env));
  }

  /** The Kafka settings shared with the other services: the bootstrap servers and the client properties. */
  public KafkaSettings kafka() {
    return new KafkaSettings(kafkaBootstrap, kafkaProperties);
  }

  /** Whether this proxy serves the Gateway with this key. */
  public boolean serves(String gatewayKey) {
    return gateway.equals(ALL_GATEWAYS) || gateway.equals(gatewayKey);
  }

  /** The local port to bind for a listener's declared port. */
  public int localPortFor(int declaredPort) {
    return portMap.getOrDefault(declaredPort, declaredPort);
  }

  public Optional<String> snapshotKeyValue() {
    return Optional.ofNullable(snapshotKey);
  }

  @Override
  public String toString() {
    return "EdgeProxyConfig[kafkaBootstrap=" + kafkaBootstrap + ", gateway=" + gateway + ", bindAddress="
        + bindAddress + ", portMap=" + new TreeMap<>(portMap) + ", adminPort=" + adminPort + ", stateDir="
        + stateDir + ", snapshotKey=" + (snapshotKey == null ? "absent" : "<redacted>") + ", maxRequestBytes="
        + maxRequestBytes + ", upstreamConnectTimeout=" + upstreamConnectTimeout + ", upstreamTimeout="
        + upstreamTimeout + ", drainTimeout=" + drainTimeout + ", ioThreads=" + ioThreads
        + ", usageQueueCapacity=" + usageQueueCapacity + ", kafkaProperties=" + redacted(kafkaProperties)
        + ", usageOverflow=" + usageOverflow.setting() + ", usageSpoolMaxBytes=" + usageSpoolMaxBytes
        + ", maxHeaderBytes=" + maxHeaderBytes + ", maxJsonDepth=" + maxJsonDepth + ", maxJsonStringLength="
        + maxJsonStringLength + ", clientReadTimeout=" + clientReadTimeout + ", clientIdleTimeout="
        + clientIdleTimeout + ", tracing=" + (tracing.enabled()
            ? tracing.endpoint() + " (sample ratio " + tracing.sampleRatio() + ")" : "off") + "]";
  }

  private static Map<String, String> redacted(Map<String, String> properties) {
    Map<String, String> shown = new TreeMap<>();
    properties.forEach((k, v) -> shown.put(k, KafkaSettings.isSecret(k) ? "<redacted>" : v));
    return shown;
  }

  private static @Nullable String snapshotKey(Map<String, String> env) {
    Optional<String> inline = optional(env, "TOLLWAY_SNAPSHOT_KEY");
    Optional<String> file = optional(env, "TOLLWAY_SNAPSHOT_KEY_FILE");
    if (inline.isPresent() && file.isPresent()) {
      throw new IllegalArgumentException(
          "TOLLWAY_SNAPSHOT_KEY and TOLLWAY_SNAPSHOT_KEY_FILE: both set (expected: at most one)");
    }
    if (inline.isPresent()) {
      return inline.get();
    }
    if (file.isPresent()) {
      try {
        return Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
      } catch (IOException | RuntimeException e) {
        throw invalid("TOLLWAY_SNAPSHOT_KEY_FILE", file.get(), "a readable file holding the base64 snapshot key");
      }
    }
    return null;
  }

  static Map<Integer, Integer> parsePortMap(String text) {
    Map<Integer, Integer> map = new TreeMap<>();
    if (text.isBlank()) {
      return map;
    }
    for (String entry : text.split(",")) {
      String[] parts = entry.strip().split("=", -1);
      if (parts.length != 2) {
        throw invalid("TOLLWAY_PORT_MAP", text, "DECLARED=LOCAL pairs separated by commas, such as 80=8080");
      }
      int declared = parsePort("TOLLWAY_PORT_MAP", text, parts[0].strip(), false);
      int local = parsePort("TOLLWAY_PORT_MAP", text, parts[1].strip(), true);
      if (map.put(declared, local) != null) {
        throw invalid("TOLLWAY_PORT_MAP", text, "each declared port at most once");
      }
    }
    return map;
  }

  private static int parsePort(String key, String whole, String value, boolean zeroAllowed) {
    try {
      int port = Integer.parseInt(value);
      if (port >= (zeroAllowed ? 0 : 1) && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(key, whole, "DECLARED=LOCAL pairs of ports (1-65535; LOCAL 0 picks a free port)");
  }

  private static int port(Map<String, String> env, String key, int defaultValue) {
    Optional<String> value = optional(env, key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      int port = Integer.parseInt(value.get());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(key, value.get(), "a port from 0 to 65535 (0 picks a free port)");
  }

  private static long positiveLong(Map<String, String> env, String key, long defaultValue) {
    Optional<String> value = optional(env, key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(value.get());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(key, value.get(), "a positive whole number");
  }

  /** Parses {@code 300s}, {@code 5m}, {@code 1500ms}, {@code 1h} or an ISO-8601 duration such as {@code PT5S}. */
  static Duration duration(Map<String, String> env, String key, Duration defaultValue) {
    Optional<String> value = optional(env, key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    Duration parsed = parseDuration(value.get());
    if (parsed == null || parsed.isNegative() || parsed.isZero()) {
      throw invalid(key, value.get(), "a positive duration such as 500ms, 30s, 5m or PT30S");
    }
    return parsed;
  }

  private static @Nullable Duration parseDuration(String text) {
    String s = text.strip();
    try {
      if (s.startsWith("P") || s.startsWith("p")) {
        return Duration.parse(s);
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      if (s.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      if (s.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(s));
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
  }

  private static Optional<String> optional(Map<String, String> env, String key) {
    String value = env.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private static IllegalArgumentException invalid(String key, String value, String expected) {
    return new IllegalArgumentException(key + ": " + value + " (expected: " + expected + ")");
  }
}

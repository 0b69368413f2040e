package dev.tollway.usage;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.kafka.KafkaSettings;
import dev.tollway.usage.topology.TopologySettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The configuration of usage-streams, read once at start from the environment.
 *
 * <p>Durations are written either as ISO-8601 ({@code PT5M}, {@code P7D}) or as a number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}).
 *
 * @param kafkaBootstrap {@code TOLLWAY_KAFKA_BOOTSTRAP} (required): the brokers, {@code host:port[,host:port]}
 * @param applicationId {@code TOLLWAY_USAGE_APPLICATION_ID} (default {@code tollway-usage-streams}): the
 *     Kafka Streams application id; it names the consumer group and prefixes the internal topics
 * @param stateDir {@code TOLLWAY_USAGE_STATE_DIR} (default {@code <java.io.tmpdir>/kafka-streams}): where the
 *     state stores live
 * @param httpHost {@code TOLLWAY_USAGE_HTTP_HOST} (default {@code 0.0.0.0}): the HTTP API's bind address
 * @param httpPort {@code TOLLWAY_USAGE_HTTP_PORT} (default 8090; 0 picks a free port): the HTTP API's port
 * @param retention {@code TOLLWAY_USAGE_RETENTION} (default 7 days): how long minute windows stay queryable
 * @param grace {@code TOLLWAY_USAGE_GRACE} (default 5 minutes): how late an event may arrive after its
 *     minute ended and still count
 * @param commitInterval {@code TOLLWAY_USAGE_COMMIT_INTERVAL} (default 200 ms): how often results are
 *     committed (a transaction each time) and so how fresh the output topics and the quota decisions are
 * @param timeZone {@code TOLLWAY_USAGE_TIME_ZONE} (default {@code UTC}): the time zone of the calendar days
 *     of daily spend
 * @param spendRetention {@code TOLLWAY_USAGE_SPEND_RETENTION} (default 400 days): how long daily spend stays
 *     queryable
 * @param quotaCheckInterval {@code TOLLWAY_USAGE_QUOTA_CHECK_INTERVAL} (default 1 s): how often blocked
 *     subjects are re-checked for a window that rolled over or a budget that was raised or removed
 * @param preAggregation {@code TOLLWAY_USAGE_PRE_AGGREGATION} (default 100 ms; 0 turns it off): how long each
 *     task sums its events per group before sending the sums to the aggregations behind the repartitions —
 *     what it adds to the freshness of every output, and what makes the repartitions cost per group rather
 *     than per event
 * @param streamThreads {@code TOLLWAY_USAGE_STREAM_THREADS} (default 1): how many stream threads process the
 *     tasks of this instance (at most one per partition of {@code tollway.usage.v1} is ever busy); more than one
 *     pays off on an instance with more than one core to give them
 * @param kafkaProperties every other {@code TOLLWAY_KAFKA_<NAME>} as the Kafka client property {@code <name>}
 *     (lower case, {@code _} as {@code .}), for TLS and SASL settings, read by the {@link KafkaSettings} every
 *     service shares; given to every client of Kafka Streams
 */
public record UsageStreamsConfig(
    String kafkaBootstrap,
    String applicationId,
    Path stateDir,
    String httpHost,
    int httpPort,
    Duration retention,
    Duration grace,
    Duration commitInterval,
    ZoneId timeZone,
    Duration spendRetention,
    Duration quotaCheckInterval,
    Duration preAggregation,
    int streamThreads,
    SortedMap<String, String> kafkaProperties) {

  public static final String KAFKA_BOOTSTRAP = "TOLLWAY_KAFKA_BOOTSTRAP";
  public static final String APPLICATION_ID = "TOLLWAY_USAGE_APPLICATION_ID";
  public static final String STATE_DIR = "TOLLWAY_USAGE_STATE_DIR";
  public static final String HTTP_HOST = "TOLLWAY_USAGE_HTTP_HOST";
  public static final String HTTP_PORT = "TOLLWAY_USAGE_HTTP_PORT";
  public static final String RETENTION = "TOLLWAY_USAGE_RETENTION";
  public static final String GRACE = "TOLLWAY_USAGE_GRACE";
  public static final String COMMIT_INTERVAL = "TOLLWAY_USAGE_COMMIT_INTERVAL";
  public static final String TIME_ZONE = "TOLLWAY_USAGE_TIME_ZONE";
  public static final String SPEND_RETENTION = "TOLLWAY_USAGE_SPEND_RETENTION";
  public static final String QUOTA_CHECK_INTERVAL = "TOLLWAY_USAGE_QUOTA_CHECK_INTERVAL";
  public static final String PRE_AGGREGATION = "TOLLWAY_USAGE_PRE_AGGREGATION";
  public static final String STREAM_THREADS = "TOLLWAY_USAGE_STREAM_THREADS";

  public static final String DEFAULT_APPLICATION_ID = "tollway-usage-streams";
  public static final String DEFAULT_HTTP_HOST = "0.0.0.0";
  public static final int DEFAULT_HTTP_PORT = 8090;
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(5);
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(200);
  public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("UTC");
  public static final Duration DEFAULT_SPEND_RETENTION = TopologySettings.DEFAULT_SPEND_RETENTION;
  public static final Duration DEFAULT_QUOTA_CHECK_INTERVAL = TopologySettings.DEFAULT_QUOTA_CHECK_INTERVAL;
  public static final Duration DEFAULT_PRE_AGGREGATION = TopologySettings.DEFAULT_PRE_AGGREGATION;
  public static final int DEFAULT_STREAM_THREADS = 1;

  /** The most stream threads one instance may run (a thread per partition of a generously sized topic). */
  public static final int MAX_STREAM_THREADS = 64;

  /** The longest pre-aggregation: what it adds to the freshness of quota decisions must stay well under 2 s. */
  public static final Duration MAX_PRE_AGGREGATION = Duration.ofSeconds(1);

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern APPLICATION_ID_CHARS = Pattern.compile("[a-zA-Z0-9._-]+");

  public UsageStreamsConfig {
    requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    requireNonNull(applicationId, "applicationId");
    requireNonNull(stateDir, "stateDir");
    requireNonNull(httpHost, "httpHost");
    requireNonNull(retention, "retention");
    requireNonNull(grace, "grace");
    requireNonNull(commitInterval, "commitInterval");
    requireNonNull(timeZone, "timeZone");
    requireNonNull(spendRetention, "spendRetention");
    requireNonNull(quotaCheckInterval, "quotaCheckInterval");
    requireNonNull(preAggregation, "preAggregation");
    kafkaProperties = Collections.unmodifiableSortedMap(new TreeMap<>(kafkaProperties));
    if (kafkaBootstrap.isBlank()) {
      throw new IllegalArgumentException(KAFKA_BOOTSTRAP + ": '' (expected: host:port of one or more brokers)");
    }
    if (!APPLICATION_ID_CHARS.matcher(applicationId).matches()) {
      throw new IllegalArgumentException(
          APPLICATION_ID + ": '" + applicationId + "' (expected: letters, digits, '.', '_' or '-')");
    }
    if (httpHost.isBlank()) {
      throw new IllegalArgumentException(HTTP_HOST + ": '' (expected: a host name or address to bind)");
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException(HTTP_PORT + ": " + httpPort + " (expected: a port from 0 to 65535)");
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException(GRACE + ": " + grace + " (expected: zero or a positive duration)");
    }
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException(RETENTION + ": " + retention + " (expected: a positive duration)");
    }
    Duration minimumRetention = Duration.ofMinutes(1).plus(grace);
    if (retention.compareTo(minimumRetention) < 0) {
      throw new IllegalArgumentException(
          RETENTION + ": " + retention + " (expected: at least one minute plus " + GRACE + ", " + minimumRetention + ")");
    }
    if (commitInterval.isNegative() || commitInterval.isZero()) {
      throw new IllegalArgumentException(
          COMMIT_INTERVAL + ": " + commitInterval + " (expected: a positive duration)");
    }
    Duration minimumSpendRetention = Duration.ofDays(1).plus(grace);
    if (spendRetention.compareTo(minimumSpendRetention) < 0) {
      throw new IllegalArgumentException(
          SPEND_RETENTION + ": " + spendRetention + " (expected: at least a day plus " + GRACE + ", "
              + minimumSpendRetention + ")");
    }
    if (quotaCheckInterval.isNegative() || quotaCheckInterval.isZero()) {
      throw new IllegalArgumentException(
          QUOTA_CHECK_INTERVAL + ": " + quotaCheckInterval + " (expected: a positive duration)");
    }
    if (preAggregation.isNegative() || preAggregation.compareTo(MAX_PRE_AGGREGATION) > 0) {
      throw new IllegalArgumentException(
          PRE_AGGREGATION + ": " + preAggregation + " (expected: 0, to turn it off, up to " + MAX_PRE_AGGREGATION + ")");
    }
    if (streamThreads < 1 || streamThreads > MAX_STREAM_THREADS) {
      throw new IllegalArgumentException(
          STREAM_THREADS + ": " + streamThreads + " (expected: from 1 to " + MAX_STREAM_THREADS + ")");
    }
  }

  /** The topology's settings from this configuration. */
  public TopologySettings topologySettings() {
    return new TopologySettings(grace, retention, timeZone, spendRetention, quotaCheckInterval, preAggregation);
  }

  /** A configuration with the default spend and quota settings and without extra Kafka client properties. */
  public UsageStreamsConfig(
      String kafkaBootstrap,
      String applicationId,
      Path stateDir,
      String httpHost,
      int httpPort,
      Duration retention,
      Duration grace,
      Duration commitInterval) {
    this(
        kafkaBootstrap,
        applicationId,
        stateDir,
        httpHost,
        httpPort,
        retention,
        grace,
        commitInterval,
        DEFAULT_TIME_ZONE,
        DEFAULT_SPEND_RETENTION,
        DEFAULT_QUOTA_CHECK_INTERVAL,
        DEFAULT_PRE_AGGREGATION,
        DEFAULT_STREAM_THREADS,
        new TreeMap<>());
  }

  /** Reads and validates the configuration; {@code env} is usually {@code System.getenv()}. */
  public static UsageStreamsConfig fromEnv(Map<String, String> env) {
    requireNonNull(env, "env");
    String bootstrap = value(env, KAFKA_BOOTSTRAP);
    if (bootstrap == null) {
      throw new IllegalArgumentException(KAFKA_BOOTSTRAP + ": missing (expected: host:port of one or more brokers)");
    }
    return new UsageStreamsConfig(
        bootstrap,
        orDefault(value(env, APPLICATION_ID), DEFAULT_APPLICATION_ID),
        path(env, STATE_DIR, Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams")),
        orDefault(value(env, HTTP_HOST), DEFAULT_HTTP_HOST),
        integer(env, HTTP_PORT, DEFAULT_HTTP_PORT, "a port from 0 to 65535"),
        duration(env, RETENTION, DEFAULT_RETENTION),
        duration(env, GRACE, DEFAULT_GRACE),
        duration(env, COMMIT_INTERVAL, DEFAULT_COMMIT_INTERVAL),
        zone(env, TIME_ZONE, DEFAULT_TIME_ZONE),
        duration(env, SPEND_RETENTION, DEFAULT_SPEND_RETENTION),
        duration(env, QUOTA_CHECK_INTERVAL, DEFAULT_QUOTA_CHECK_INTERVAL),
        duration(env, PRE_AGGREGATION, DEFAULT_PRE_AGGREGATION),
        integer(env, STREAM_THREADS, DEFAULT_STREAM_THREADS, "a whole number from 1 to " + MAX_STREAM_THREADS),
        KafkaSettings.fromEnv(env).clientProperties());
  }

  private static ZoneId zone(Map<String, String> env, String key, ZoneId fallback) {
    String value = value(env, key);
    if (value == null) {
      return fallback;
    }
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          key + ": '" + value + "' (expected: a time zone such as UTC, Europe/Paris or +02:00)", e);
    }
  }

  /** How usage-streams reaches Kafka: the bootstrap servers and the other {@code TOLLWAY_KAFKA_*} settings. */
  public KafkaSettings kafka() {
    return new KafkaSettings(kafkaBootstrap, kafkaProperties);
  }

  /** The configuration with secret-looking Kafka properties (such as the SASL JAAS config) redacted. */
  @Override
  public String toString() {
    return "UsageStreamsConfig[applicationId=" + applicationId + ", stateDir=" + stateDir + ", httpHost=" + httpHost
        + ", httpPort=" + httpPort + ", retention=" + retention + ", grace=" + grace + ", commitInterval="
        + commitInterval + ", timeZone=" + timeZone + ", spendRetention=" + spendRetention + ", quotaCheckInterval="
        + quotaCheckInterval + ", preAggregation=" + preAggregation + ", streamThreads=" + streamThreads + ", kafka="
        + kafka() + "]";
  }

  private static @Nullable String value(Map<String, String> env, String key) {
    String value = env.get(key);
    if (value == null || value.isBlank()) {
      return null;
    }
    return value.trim();
  }

  private static String orDefault(@Nullable String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static Path path(Map<String, String> env, String key, Path fallback) {
    String value = value(env, key);
    if (value == null) {
      return fallback;
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' (expected: a directory path)", e);
    }
  }

  /** An integer, or {@code fallback} when unset; {@code expected} says what a valid value is, for the error. */
  private static int integer(Map<String, String> env, String key, int fallback, String expected) {
    String value = value(env, key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' (expected: " + expected + ")", e);
    }
  }

  private static Duration duration(Map<String, String> env, String key, Duration fallback) {
    String value = value(env, key);
    if (value == null) {
      return fallback;
    }
    Duration parsed = parseDuration(value);
    if (parsed == null) {
      throw new IllegalArgumentException(
          key + ": '" + value + "' (expected: a duration such as 30s, 5m, 7d or PT5M)");
    }
    return parsed;
  }

  private static @Nullable Duration parseDuration(String value) {
    Matcher shortForm = SHORT_DURATION.matcher(value.toLowerCase(Locale.ROOT));
    if (shortForm.matches()) {
      long amount;
      try {
        amount = Long.parseLong(shortForm.group(1));
      } catch (NumberFormatException e) {
        return null;
      }
      try {
        return switch (shortForm.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
      } catch (ArithmeticException e) {
        return null;
      }
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}

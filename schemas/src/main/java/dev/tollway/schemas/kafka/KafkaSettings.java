package dev.tollway.schemas.kafka;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How every Tollway service reaches Kafka, the one way: {@code TOLLWAY_KAFKA_BOOTSTRAP} and any other
 * {@code TOLLWAY_KAFKA_<NAME>} as the client property {@code <name>} (lower case, {@code _} as {@code .}), for
 * TLS and SASL: {@code TOLLWAY_KAFKA_SECURITY_PROTOCOL=SASL_SSL}, {@code TOLLWAY_KAFKA_SASL_MECHANISM=SCRAM-SHA-512},
 * {@code TOLLWAY_KAFKA_SASL_JAAS_CONFIG=...}, {@code TOLLWAY_KAFKA_SSL_TRUSTSTORE_LOCATION=...}. Blank values are
 * left out; the bootstrap servers and serializers cannot be set this way; each service's own settings win over
 * these, and these win over the defaults a service names ({@link #clientConfig(Map, Map)}). Names are passed
 * as they are (Kafka Streams takes its own names too, and ignores them where they do not apply). Values of
 * secret-looking properties are redacted in {@link #toString()}.
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param clientProperties the extra client properties, by Kafka name
 */
public record KafkaSettings(String bootstrapServers, SortedMap<String, String> clientProperties) {

  public static final String BOOTSTRAP = "TOLLWAY_KAFKA_BOOTSTRAP";
  public static final String PREFIX = "TOLLWAY_KAFKA_";

  private static final Pattern HOST_PORT = Pattern.compile("[^\\s:,]+:[0-9]{1,5}");
  private static final Pattern SECRET = Pattern.compile(".*(password|jaas|secret|token|key).*");
  private static final Pattern PROPERTY = Pattern.compile("[a-z0-9]+(\\.[a-z0-9]+)*");
  /** Set by each service itself; the environment cannot override them. */
  private static final Set<String> RESERVED =
      Set.of("bootstrap.servers", "key.serializer", "value.serializer", "key.deserializer", "value.deserializer");

  public KafkaSettings {
    requireNonNull(bootstrapServers, "bootstrapServers");
    clientProperties = Collections.unmodifiableSortedMap(new TreeMap<>(clientProperties));
  }

  /** Settings with bootstrap servers only (tests, local mode). */
  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, new TreeMap<>());
  }

  /**
   * Reads and validates the settings.
   *
   * @throws IllegalArgumentException naming the key and what was expected
   */
  public static KafkaSettings fromEnv(Map<String, String> env) {
    requireNonNull(env, "env");
    String bootstrap = env.get(BOOTSTRAP);
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException(BOOTSTRAP + ": missing (expected: host:port[,host:port...])");
    }
    bootstrap = bootstrap.strip();
    for (String server : bootstrap.split(",")) {
      if (!HOST_PORT.matcher(server.strip()).matches()) {
        throw new IllegalArgumentException(BOOTSTRAP + ": \"" + bootstrap + "\" (expected: host:port[,host:port...])");
      }
    }
    SortedMap<String, String> properties = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(PREFIX) || name.equals(BOOTSTRAP) || e.getValue() == null || e.getValue().isBlank()) {
        continue;
      }
      String property = name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
      if (RESERVED.contains(property)) {
        throw new IllegalArgumentException(name + ": set by Tollway itself (expected: " + BOOTSTRAP + " for the servers)");
      }
      if (!PROPERTY.matcher(property).matches()) {
        throw new IllegalArgumentException(
            name + ": " + property + " is not a Kafka property name (expected: letters, digits and dots, such as "
                + "security.protocol)");
      }
      properties.put(property, e.getValue().strip());
    }
    return new KafkaSettings(bootstrap, properties);
  }

  /**
   * The properties of a client: the bootstrap servers and the settings, then the service's own properties
   * (which win: idempotence, acks, client id...).
   */
  public Map<String, Object> clientConfig(Map<String, ?> serviceProperties) {
    return clientConfig(Map.of(), serviceProperties);
  }

  /**
   * The properties of a client: the service's defaults (which the settings may replace, such as a producer's
   * compression), the bootstrap servers and the settings, then the service's own properties (which win).
   */
  public Map<String, Object> clientConfig(Map<String, ?> serviceDefaults, Map<String, ?> serviceProperties) {
    Map<String, Object> config = new HashMap<>(requireNonNull(serviceDefaults, "serviceDefaults"));
    config.putAll(clientProperties);
    config.put("bootstrap.servers", bootstrapServers);
    config.putAll(requireNonNull(serviceProperties, "serviceProperties"));
    return config;
  }

  /** {@link #clientConfig(Map)} as {@link java.util.Properties}. */
  public java.util.Properties clientProperties(Map<String, ?> serviceProperties) {
    return clientProperties(Map.of(), serviceProperties);
  }

  /** {@link #clientConfig(Map, Map)} as {@link java.util.Properties}. */
  public java.util.Properties clientProperties(Map<String, ?> serviceDefaults, Map<String, ?> serviceProperties) {
    java.util.Properties properties = new java.util.Properties();
    properties.putAll(clientConfig(serviceDefaults, serviceProperties));
    return properties;
  }

  /** Whether a property value is redacted when shown. */
  public static boolean isSecret(String property) {
    return SECRET.matcher(property).matches();
  }

  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    clientProperties.forEach((k, v) -> shown.put(k, isSecret(k) ? "<redacted>" : v));
    return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", clientProperties=" + shown + "]";
  }
}

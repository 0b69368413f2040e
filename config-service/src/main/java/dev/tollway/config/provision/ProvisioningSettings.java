package dev.tollway.config.provision;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.EnvValues;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How the proxies of each Gateway are provisioned.
 *
 * @param enabled {@code TOLLWAY_PROVISION}: create a Deployment, a Service and a key Secret per accepted Gateway
 *     (default on with the Kubernetes source)
 * @param image {@code TOLLWAY_PROXY_IMAGE}: the edge-proxy image (required when provisioning)
 * @param pullPolicy {@code TOLLWAY_PROXY_IMAGE_PULL_POLICY}: {@code Always}, {@code IfNotPresent} or
 *     {@code Never}; absent leaves the Kubernetes default
 * @param serviceType {@code TOLLWAY_PROXY_SERVICE_TYPE}: {@code LoadBalancer} (default, as agentgateway),
 *     {@code ClusterIP} or {@code NodePort}
 * @param replicas {@code TOLLWAY_PROXY_REPLICAS}: proxy replicas per Gateway (default 1)
 * @param kafkaBootstrap {@code TOLLWAY_PROXY_KAFKA_BOOTSTRAP}: the brokers as the proxies reach them (default:
 *     config-service's own)
 * @param kafkaProperties every {@code TOLLWAY_PROXY_KAFKA_<NAME>} as the proxy's {@code TOLLWAY_KAFKA_<NAME>};
 *     when none is given, config-service's own {@code TOLLWAY_KAFKA_<NAME>} settings are passed through.
 *     Secret-looking ones (names containing {@code password}, {@code jaas}, {@code secret}, {@code token} or
 *     {@code key}) travel in the Gateway's Secret, never in the Deployment
 */
public record ProvisioningSettings(
    boolean enabled,
    String image,
    @Nullable String pullPolicy,
    String serviceType,
    int replicas,
    String kafkaBootstrap,
    SortedMap<String, String> kafkaProperties) {

  public static final String ENABLED = "TOLLWAY_PROVISION";
  public static final String IMAGE = "TOLLWAY_PROXY_IMAGE";
  public static final String PULL_POLICY = "TOLLWAY_PROXY_IMAGE_PULL_POLICY";
  public static final String SERVICE_TYPE = "TOLLWAY_PROXY_SERVICE_TYPE";
  public static final String REPLICAS = "TOLLWAY_PROXY_REPLICAS";
  public static final String KAFKA_BOOTSTRAP = "TOLLWAY_PROXY_KAFKA_BOOTSTRAP";
  private static final String KAFKA_PREFIX = "TOLLWAY_PROXY_KAFKA_";

  static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
  static final Set<String> SERVICE_TYPES = Set.of("LoadBalancer", "ClusterIP", "NodePort");
  private static final Pattern SECRET_PROPERTY = Pattern.compile(".*(password|jaas|secret|token|key).*");

  public ProvisioningSettings {
    requireNonNull(image, "image");
    requireNonNull(serviceType, "serviceType");
    requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    kafkaProperties = Collections.unmodifiableSortedMap(new TreeMap<>(kafkaProperties));
  }

  /** Nothing is provisioned. */
  public static ProvisioningSettings disabled() {
    return new ProvisioningSettings(false, "", null, "ClusterIP", 1, "", new TreeMap<>());
  }

  /**
   * Reads the settings.
   *
   * @param enabledByDefault whether provisioning is on when {@value #ENABLED} is unset
   * @param kafkaBootstrap config-service's own bootstrap servers
   * @param ownKafkaProperties config-service's own Kafka client properties, passed through when no
   *     {@code TOLLWAY_PROXY_KAFKA_<NAME>} is set
   */
  public static ProvisioningSettings fromEnv(Map<String, String> env, boolean enabledByDefault, String kafkaBootstrap,
      Map<String, String> ownKafkaProperties) {
    boolean enabled = EnvValues.bool(env, ENABLED, enabledByDefault);
    if (!enabled) {
      return disabled();
    }
    String image = EnvValues.value(env, IMAGE).orElseThrow(() -> new IllegalArgumentException(
        IMAGE + ": missing (expected: the edge-proxy image, such as registry.example.com/tollway/edge-proxy:0.1.0; "
            + "or " + ENABLED + "=false)"));
    if (image.chars().anyMatch(Character::isWhitespace)) {
      throw EnvValues.invalid(IMAGE, image, "an image reference without spaces");
    }
    String pullPolicy = EnvValues.value(env, PULL_POLICY).orElse(null);
    if (pullPolicy != null && !PULL_POLICIES.contains(pullPolicy)) {
      throw EnvValues.invalid(PULL_POLICY, pullPolicy, "Always, IfNotPresent or Never");
    }
    String serviceType = EnvValues.value(env, SERVICE_TYPE).orElse("LoadBalancer");
    if (!SERVICE_TYPES.contains(serviceType)) {
      throw EnvValues.invalid(SERVICE_TYPE, serviceType, "LoadBalancer, ClusterIP or NodePort");
    }
    int replicas = EnvValues.integer(env, REPLICAS, 1, 0, 1000);
    String bootstrap = EnvValues.value(env, KAFKA_BOOTSTRAP).orElse(kafkaBootstrap);
    SortedMap<String, String> properties = new TreeMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith(KAFKA_PREFIX) && !name.equals(KAFKA_BOOTSTRAP) && value != null && !value.isBlank()) {
        properties.put(name.substring(KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    if (properties.isEmpty()) {
      properties.putAll(ownKafkaProperties);
    }
    return new ProvisioningSettings(true, image, pullPolicy, serviceType, replicas, bootstrap, properties);
  }

  /** Whether a Kafka property's value is a secret (it then travels in the Gateway's Secret). */
  public static boolean isSecretProperty(String property) {
    return SECRET_PROPERTY.matcher(property).matches();
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "ProvisioningSettings[disabled]";
    }
    Map<String, String> kafka = new TreeMap<>();
    kafkaProperties.forEach((k, v) -> kafka.put(k, isSecretProperty(k) ? "<redacted>" : v));
    return "ProvisioningSettings[image=" + image + ", pullPolicy=" + pullPolicy + ", serviceType=" + serviceType
        + ", replicas=" + replicas + ", kafkaBootstrap=" + kafkaBootstrap + ", kafkaProperties=" + kafka + "]";
  }
}

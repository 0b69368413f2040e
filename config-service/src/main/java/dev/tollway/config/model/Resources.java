package dev.tollway.config.model;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Reads the metadata every resource has, with the defaults config-service applies. */
public final class Resources {

  /** The namespace of a namespaced resource that does not name one, as with {@code kubectl apply}. */
  public static final String DEFAULT_NAMESPACE = "default";

  /** The API group of the agentgateway custom resources. */
  public static final String AGENTGATEWAY_GROUP = "agentgateway.dev";

  /** The API group of Tollway's own custom resources ({@code ModelPrice}, {@code Budget}). */
  public static final String TOLLWAY_GROUP = "tollway.dev";

  /** The API group of the Gateway API. */
  public static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

  private Resources() {}

  /** The resource's namespace, {@value #DEFAULT_NAMESPACE} when it names none. */
  public static String namespace(HasMetadata resource) {
    ObjectMeta meta = resource.getMetadata();
    String namespace = meta == null ? null : meta.getNamespace();
    return namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
  }

  /** The resource's name; empty if it has none (sources reject such resources). */
  public static String name(HasMetadata resource) {
    ObjectMeta meta = resource.getMetadata();
    String name = meta == null ? null : meta.getName();
    return name == null ? "" : name;
  }

  /** {@code <namespace>/<name>} of a namespaced resource. */
  public static String key(HasMetadata resource) {
    return namespace(resource) + "/" + name(resource);
  }

  /** The resource's {@code metadata.generation}, if the source tracks it. */
  public static @Nullable Long generation(HasMetadata resource) {
    ObjectMeta meta = resource.getMetadata();
    return meta == null ? null : meta.getGeneration();
  }

  /** The resource's {@code metadata.creationTimestamp}, if present and valid RFC 3339. */
  public static Optional<Instant> created(HasMetadata resource) {
    ObjectMeta meta = resource.getMetadata();
    String created = meta == null ? null : meta.getCreationTimestamp();
    if (created == null || created.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(created));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The API group of an {@code apiVersion} such as {@code agentgateway.dev/v1alpha1}; empty for core. */
  public static String group(@Nullable String apiVersion) {
    if (apiVersion == null) {
      return "";
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The kind and key of a resource for messages: {@code HTTPRoute default/llm-route}. */
  public static String describe(HasMetadata resource) {
    requireNonNull(resource, "resource");
    return resource.getKind() + " " + key(resource);
  }
}

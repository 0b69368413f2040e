package dev.tollway.config.provision;

import java.util.Map;
import java.util.TreeMap;

/** The labels and annotations on what config-service provisions. */
public final class ProxyLabels {

  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "tollway-config-service";
  public static final String NAME_LABEL = "app.kubernetes.io/name";
  public static final String NAME = "tollway-proxy";
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
  /** The Gateway API's label for resources generated for a Gateway (GEP-1762). */
  public static final String GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";
  public static final String GATEWAY_CLASS_LABEL = "gateway.networking.k8s.io/gateway-class-name";

  /** Which controller provisioned the object: only that controller updates or deletes it. */
  public static final String CONTROLLER_ANNOTATION = "tollway.dev/controller-name";
  /** A hash of what config-service wants the object to be; a different hash means it must be updated. */
  public static final String SPEC_HASH_ANNOTATION = "tollway.dev/spec-hash";
  /** On the pod template: a hash of the Gateway's Secret, so that a new key rolls the pods. */
  public static final String SECRET_HASH_ANNOTATION = "tollway.dev/secret-hash";

  private ProxyLabels() {}

  /** The labels that select a Gateway's proxy pods (never change once created: a Deployment selector is fixed). */
  public static Map<String, String> selector(String gatewayName) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(NAME_LABEL, NAME);
    labels.put(GATEWAY_NAME_LABEL, gatewayName);
    return labels;
  }

  /** Every label config-service puts on a Gateway's Deployment, Service, Secret and pods. */
  public static Map<String, String> standard(String gatewayName, String className) {
    Map<String, String> labels = selector(gatewayName);
    labels.put(INSTANCE_LABEL, gatewayName);
    labels.put(COMPONENT_LABEL, "edge-proxy");
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    labels.put(GATEWAY_CLASS_LABEL, className);
    return labels;
  }
}

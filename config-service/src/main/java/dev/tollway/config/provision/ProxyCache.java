package dev.tollway.config.provision;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Optional;

/** What the provisioner reads besides the compiled state: informer caches, never the API directly. */
public interface ProxyCache {

  /** The Deployments labelled as provisioned by config-service. */
  List<Deployment> deployments();

  /** An {@code AgentgatewayParameters} resource, if it exists. */
  Optional<GenericKubernetesResource> parameters(String namespace, String name);
}

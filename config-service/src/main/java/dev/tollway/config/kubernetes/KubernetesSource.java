package dev.tollway.config.kubernetes;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.model.ClusterState;
import dev.tollway.config.model.Resources;
import dev.tollway.config.provision.ProxyCache;
import dev.tollway.config.provision.ProxyLabels;
import dev.tollway.config.watch.ConfigSource;
import dev.tollway.config.watch.SourceNotReadyException;
import dev.tollway.config.watch.SourceProblem;
import dev.tollway.config.watch.SourceState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes API as a {@link ConfigSource}: one fabric8 informer per kind (and per watched namespace when
 * {@code namespaces} is not empty). Informer callbacks only signal; {@link #read()} builds the whole
 * {@link ClusterState} from the caches for the worker to compile.
 *
 * <p>Watched (list + watch): {@code GatewayClass} and {@code Namespace} (cluster-scoped), and in the watched
 * namespaces {@code Gateway}, {@code HTTPRoute}, {@code ReferenceGrant} ({@code v1beta1}, served by every Gateway
 * API release), {@code Secret}, {@code Service}, {@code AgentgatewayBackend}, {@code AgentgatewayPolicy},
 * {@code ModelPrice} and {@code Budget} ({@code tollway.dev}); with
 * {@code watchProxies} also {@code AgentgatewayParameters} and the {@code Deployment}s labelled
 * {@value ProxyLabels#MANAGED_BY_LABEL}={@value ProxyLabels#MANAGED_BY} (the provisioned proxies).
 *
 * <p>Secrets: every Secret of the watched namespaces is cached, because which ones matter (backend keys,
 * listener certificates) is only known after compiling; restrict {@code TOLLWAY_WATCH_NAMESPACES} (and RBAC with
 * it) to bound what config-service can read.
 */
public final class KubernetesSource implements ConfigSource, ProxyCache {

  private static final Logger log = LoggerFactory.getLogger(KubernetesSource.class);

  private final KubernetesClient client;
  private final SortedSet<String> namespaces;
  private final long resyncMillis;
  private final boolean watchProxies;
  private final List<Watched<?>> watched = new ArrayList<>();
  private volatile boolean started;
  private volatile boolean closed;

  /**
   * @param client the client (its credentials decide what can be read)
   * @param namespaces the namespaces whose resources are read; empty for every namespace
   * @param resync how often informers replay their caches (each replay signals a pass that changes nothing when
   *     nothing changed)
   * @param watchProxies also watch {@code AgentgatewayParameters} and the provisioned Deployments
   */
  public KubernetesSource(KubernetesClient client, SortedSet<String> namespaces, Duration resync, boolean watchProxies) {
    this.client = requireNonNull(client, "client");
    this.namespaces = new TreeSet<>(namespaces);
    this.resyncMillis = requireNonNull(resync, "resync").toMillis();
    this.watchProxies = watchProxies;
  }

  @Override
  public synchronized void watch(Runnable onChange) throws IOException {
    requireNonNull(onChange, "onChange");
    if (started || closed) {
      throw new IllegalStateException("already watching, or closed");
    }
    started = true;
    ResourceEventHandler<HasMetadata> signal = new Signal(onChange);
    clusterScoped("GatewayClass", client.resources(GatewayClass.class), signal);
    clusterScoped("Namespace", client.namespaces(), signal);
    namespaced("Gateway", ns -> ns == null
        ? client.resources(Gateway.class).inAnyNamespace() : client.resources(Gateway.class).inNamespace(ns), signal);
    namespaced("HTTPRoute", ns -> ns == null
        ? client.resources(HTTPRoute.class).inAnyNamespace() : client.resources(HTTPRoute.class).inNamespace(ns),
        signal);
    namespaced("ReferenceGrant", ns -> ns == null
        ? client.resources(ReferenceGrant.class).inAnyNamespace()
        : client.resources(ReferenceGrant.class).inNamespace(ns), signal);
    namespaced("Secret", ns -> ns == null ? client.secrets().inAnyNamespace() : client.secrets().inNamespace(ns),
        signal);
    namespaced("Service", ns -> ns == null ? client.services().inAnyNamespace() : client.services().inNamespace(ns),
        signal);
    namespaced("AgentgatewayBackend", ns -> ns == null
        ? client.genericKubernetesResources(AgentgatewayKinds.BACKEND).inAnyNamespace()
        : client.genericKubernetesResources(AgentgatewayKinds.BACKEND).inNamespace(ns), signal);
    namespaced("AgentgatewayPolicy", ns -> ns == null
        ? client.genericKubernetesResources(AgentgatewayKinds.POLICY).inAnyNamespace()
        : client.genericKubernetesResources(AgentgatewayKinds.POLICY).inNamespace(ns), signal);
    namespaced(ClusterState.MODEL_PRICE, ns -> ns == null
        ? client.genericKubernetesResources(TollwayKinds.MODEL_PRICE).inAnyNamespace()
        : client.genericKubernetesResources(TollwayKinds.MODEL_PRICE).inNamespace(ns), signal);
    namespaced(ClusterState.BUDGET, ns -> ns == null
        ? client.genericKubernetesResources(TollwayKinds.BUDGET).inAnyNamespace()
        : client.genericKubernetesResources(TollwayKinds.BUDGET).inNamespace(ns), signal);
    if (watchProxies) {
      namespaced("AgentgatewayParameters", ns -> ns == null
          ? client.genericKubernetesResources(AgentgatewayKinds.PARAMETERS).inAnyNamespace()
          : client.genericKubernetesResources(AgentgatewayKinds.PARAMETERS).inNamespace(ns), signal);
      namespaced("Deployment", ns -> (ns == null
          ? client.apps().deployments().inAnyNamespace() : client.apps().deployments().inNamespace(ns))
          .withLabel(ProxyLabels.MANAGED_BY_LABEL, ProxyLabels.MANAGED_BY), signal);
    }
    List<CompletableFuture<Void>> syncs = new ArrayList<>();
    for (Watched<?> w : watched) {
      syncs.add(w.informer.start().toCompletableFuture());
    }
    CompletableFuture.allOf(syncs.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
      if (error == null) {
        log.info("informer caches synced: {} informers, namespaces={}", watched.size(),
            namespaces.isEmpty() ? "all" : namespaces);
        onChange.run();
      } else {
        log.warn("an informer could not start: {}", error.toString());
      }
    });
    log.info("watching the Kubernetes API at {} (namespaces: {})", client.getMasterUrl(),
        namespaces.isEmpty() ? "all" : namespaces);
  }

  private <T extends HasMetadata> void clusterScoped(
      String kind, Informable<T> informable, ResourceEventHandler<HasMetadata> signal) {
    add(kind, null, informable, signal);
  }

  private <T extends HasMetadata> void namespaced(
      String kind, Function<@Nullable String, Informable<T>> informable, ResourceEventHandler<HasMetadata> signal) {
    if (namespaces.isEmpty()) {
      add(kind, null, informable.apply(null), signal);
    } else {
      for (String ns : namespaces) {
        add(kind, ns, informable.apply(ns), signal);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> void add(
      String kind, @Nullable String namespace, Informable<T> informable, ResourceEventHandler<HasMetadata> signal) {
    SharedIndexInformer<T> informer = informable.runnableInformer(resyncMillis);
    informer.addEventHandler((ResourceEventHandler<T>) (ResourceEventHandler<?>) signal);
    watched.add(new Watched<>(kind, namespace, informer));
  }

  /**
   * Reads every cache into one state.
   *
   * @throws SourceNotReadyException while some informer has not synced yet (its kind is named: a missing CRD
   *     shows here); the source signals once every cache has synced
   */
  @Override
  public SourceState read() throws IOException {
    if (!started) {
      throw new SourceNotReadyException("not watching yet");
    }
    List<String> unsynced = new ArrayList<>();
    for (Watched<?> w : watched) {
      if (!w.informer.hasSynced()) {
        unsynced.add(w.describe());
      }
    }
    if (!unsynced.isEmpty()) {
      throw new SourceNotReadyException("waiting for the informer caches to sync: " + String.join(", ", unsynced)
          + " (is the CRD installed, and may config-service list and watch it?)");
    }
    ClusterState.Builder state = ClusterState.builder();
    List<SourceProblem> problems = new ArrayList<>();
    for (Watched<?> w : watched) {
      if (w.kind.equals("Deployment") || w.kind.equals("AgentgatewayParameters")) {
        continue; // read by the provisioner through ProxyCache, not compiled
      }
      for (HasMetadata resource : w.informer.getStore().list()) {
        if (w.kind.equals("Namespace") && !namespaces.isEmpty() && !namespaces.contains(Resources.name(resource))) {
          continue;
        }
        if (resource instanceof GenericKubernetesResource generic
            && (generic.getApiVersion() == null || generic.getKind() == null)) {
          // list items may come without them
          generic.setApiVersion(TollwayKinds.isTollwayKind(w.kind) ? TollwayKinds.API_VERSION : AgentgatewayKinds.API_VERSION);
          generic.setKind(w.kind);
        }
        try {
          state.add(resource);
        } catch (RuntimeException e) {
          problems.add(new SourceProblem(w.kind + " " + Resources.key(resource), e.getMessage()));
        }
      }
    }
    return new SourceState(state.build(), problems);
  }

  @Override
  public List<Deployment> deployments() {
    return list("Deployment", Deployment.class);
  }

  @Override
  public Optional<GenericKubernetesResource> parameters(String namespace, String name) {
    return list("AgentgatewayParameters", GenericKubernetesResource.class).stream()
        .filter(p -> Resources.namespace(p).equals(namespace) && Resources.name(p).equals(name))
        .findFirst();
  }

  private <T> List<T> list(String kind, Class<T> type) {
    List<T> items = new ArrayList<>();
    for (Watched<?> w : watched) {
      if (w.kind.equals(kind)) {
        w.informer.getStore().list().forEach(item -> items.add(type.cast(item)));
      }
    }
    return items;
  }

  /** Whether every informer has synced its cache. */
  public boolean hasSynced() {
    return started && watched.stream().allMatch(w -> w.informer.hasSynced());
  }

  @Override
  public boolean isWatching() {
    return started && !closed && watched.stream().allMatch(w -> w.informer.isRunning());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    watched.forEach(w -> w.informer.stop());
  }

  @Override
  public String toString() {
    return "KubernetesSource[" + client.getMasterUrl() + ", namespaces="
        + (namespaces.isEmpty() ? "all" : namespaces) + "]";
  }

  /** One informer. */
  private record Watched<T extends HasMetadata>(String kind, @Nullable String namespace,
      SharedIndexInformer<T> informer) {
    String describe() {
      return kind + (namespace == null ? "" : " in " + namespace);
    }
  }

  /** Every callback only signals: the worker reads the caches whole. */
  private static final class Signal implements ResourceEventHandler<HasMetadata> {
    private final Runnable onChange;

    Signal(Runnable onChange) {
      this.onChange = onChange;
    }

    @Override
    public void onAdd(HasMetadata obj) {
      onChange.run();
    }

    @Override
    public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
      onChange.run();
    }

    @Override
    public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
      onChange.run();
    }
  }
}

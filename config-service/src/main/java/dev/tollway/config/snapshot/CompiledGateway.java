package dev.tollway.config.snapshot;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.status.Condition;
import dev.tollway.config.status.RouteKind;
import dev.tollway.schemas.snapshot.Listener;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Gateway of an owned class with its listeners checked.
 *
 * @param gateway the resource
 * @param key {@code <namespace>/<name>}
 * @param className the Gateway's class
 * @param listeners every listener, valid or not, in declaration order
 */
record CompiledGateway(Gateway gateway, String key, String className, List<ListenerResult> listeners) {

  CompiledGateway {
    requireNonNull(gateway, "gateway");
    requireNonNull(key, "key");
    requireNonNull(className, "className");
    listeners = List.copyOf(listeners);
  }

  String namespace() {
    return key.substring(0, key.indexOf('/'));
  }

  /** The listeners that go into the snapshot and that routes may attach to, in declaration order. */
  List<ListenerResult> valid() {
    return listeners.stream().filter(l -> l.snapshot() != null).toList();
  }

  Optional<ListenerResult> listener(String name) {
    return listeners.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /**
   * One listener's verdict.
   *
   * @param name the listener name
   * @param snapshot the listener as it goes into the snapshot; absent when the listener is left out
   * @param conditions the listener's conditions
   * @param supportedKinds route kinds that may attach
   * @param from {@code allowedRoutes.namespaces.from}: {@code Same}, {@code All} or {@code Selector}
   * @param selector {@code allowedRoutes.namespaces.selector}, for {@code Selector}
   */
  record ListenerResult(
      String name,
      @Nullable Listener snapshot,
      List<Condition> conditions,
      List<RouteKind> supportedKinds,
      String from,
      @Nullable LabelSelector selector) {

    ListenerResult {
      requireNonNull(name, "name");
      conditions = List.copyOf(conditions);
      supportedKinds = List.copyOf(supportedKinds);
      requireNonNull(from, "from");
    }

    boolean acceptsHttpRoutes() {
      return supportedKinds.contains(RouteKind.HTTP_ROUTE);
    }
  }
}

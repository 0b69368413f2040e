package dev.tollway.config.snapshot;

import dev.tollway.config.model.Resources;
import dev.tollway.config.snapshot.CompiledGateway.ListenerResult;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.Condition.Types;
import dev.tollway.config.status.Reasons;
import dev.tollway.config.status.RouteKind;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.snapshot.Listener;
import dev.tollway.schemas.snapshot.Listener.ListenerTls;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedRoutes;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerTLSConfig;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a Gateway's listeners: HTTP and HTTPS are served (HTTPS terminating TLS with a
 * {@code kubernetes.io/tls} Secret, its key sealed); other protocols, broken certificate references and
 * conflicting listeners get a listener condition and are left out of the snapshot.
 */
final class GatewayCompiler {

  private static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS");

  private final Index index;
  private final SnapshotCipher cipher;

  GatewayCompiler(Index index, SnapshotCipher cipher) {
    this.index = index;
    this.cipher = cipher;
  }

  CompiledGateway compile(Gateway gateway, String className) {
    String key = Resources.key(gateway);
    @Nullable Long generation = Resources.generation(gateway);
    List<io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener> specs =
        gateway.getSpec() == null || gateway.getSpec().getListeners() == null
            ? List.of()
            : gateway.getSpec().getListeners();
    List<Draft> drafts = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < specs.size(); i++) {
      drafts.add(listener(gateway, key, specs.get(i), i, names, generation));
    }
    markConflicts(drafts);
    return new CompiledGateway(gateway, key, className, drafts.stream().map(Draft::result).toList());
  }

  private Draft listener(
      Gateway gateway,
      String gatewayKey,
      io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener spec,
      int index,
      Set<String> names,
      @Nullable Long generation) {
    String path = "spec.listeners[" + index + "]";
    Draft draft = new Draft(spec.getName() == null || spec.getName().isBlank() ? "#" + index : spec.getName());
    draft.generation = generation;
    kinds(spec.getAllowedRoutes(), draft);
    from(spec.getAllowedRoutes(), draft);
    if (spec.getName() == null || spec.getName().isBlank()) {
      return draft.refuse(Reasons.INVALID, path + ".name: missing");
    }
    if (!names.add(spec.getName())) {
      return draft.refuse(Reasons.INVALID, path + ".name: \"" + spec.getName() + "\" is used twice");
    }
    if (spec.getPort() == null || spec.getPort() < 1 || spec.getPort() > 65535) {
      return draft.refuse(Reasons.INVALID, path + ".port: " + spec.getPort() + " (expected: 1 to 65535)");
    }
    String protocol = spec.getProtocol() == null ? "" : spec.getProtocol();
    if (!PROTOCOLS.contains(protocol)) {
      return draft.refuse(
          Reasons.UNSUPPORTED_PROTOCOL,
          path + ".protocol: \"" + protocol + "\" is not supported (expected: HTTP or HTTPS)");
    }
    @Nullable String hostname =
        spec.getHostname() == null || spec.getHostname().isBlank() ? null : Hostnames.normalize(spec.getHostname());
    @Nullable ListenerTls tls = null;
    if (protocol.equals("HTTPS")) {
      try {
        tls = tls(gateway, gatewayKey, spec.getTls(), path);
      } catch (CertificateProblem e) {
        draft.resolvedRefs = Condition.fails(Types.RESOLVED_REFS, e.reason, e.getMessage(), generation);
        return draft.refuse(Reasons.INVALID, "the listener's certificate cannot be used: " + e.getMessage());
      }
    }
    draft.snapshot = new Listener(spec.getName(), protocol, spec.getPort(), hostname, tls);
    return draft;
  }

  private ListenerTls tls(Gateway gateway, String gatewayKey, @Nullable ListenerTLSConfig tls, String path) {
    if (tls == null) {
      throw new CertificateProblem(Reasons.INVALID_CERTIFICATE_REF, path + ".tls: missing (required for HTTPS)");
    }
    if (tls.getMode() != null && !tls.getMode().equals("Terminate")) {
      throw new CertificateProblem(
          Reasons.INVALID_CERTIFICATE_REF, path + ".tls.mode: \"" + tls.getMode() + "\" (expected: Terminate)");
    }
    List<SecretObjectReference> refs = tls.getCertificateRefs() == null ? List.of() : tls.getCertificateRefs();
    if (refs.isEmpty()) {
      throw new CertificateProblem(Reasons.INVALID_CERTIFICATE_REF, path + ".tls.certificateRefs: empty");
    }
    SecretObjectReference ref = refs.get(0);
    String group = ref.getGroup() == null ? "" : ref.getGroup();
    String kind = ref.getKind() == null ? "Secret" : ref.getKind();
    if (!group.isEmpty() || !kind.equals("Secret")) {
      throw new CertificateProblem(
          Reasons.INVALID_CERTIFICATE_REF,
          path + ".tls.certificateRefs[0]: kind " + kind + " is not supported (expected: a core Secret)");
    }
    String gatewayNamespace = Resources.namespace(gateway);
    String namespace =
        ref.getNamespace() == null || ref.getNamespace().isBlank() ? gatewayNamespace : ref.getNamespace();
    String secretKey = namespace + "/" + ref.getName();
    if (!namespace.equals(gatewayNamespace)
        && !ReferenceGrants.permits(index.grantsIn(namespace), Resources.GATEWAY_GROUP, "Gateway",
            gatewayNamespace, "", "Secret", Objects.toString(ref.getName(), ""))) {
      throw new CertificateProblem(Reasons.REF_NOT_PERMITTED,
          "Secret " + secretKey + " is in another namespace and no ReferenceGrant allows it");
    }
    Secret secret = index.secret(namespace, Objects.toString(ref.getName(), ""))
        .orElseThrow(() -> new CertificateProblem(
            Reasons.INVALID_CERTIFICATE_REF, "Secret " + secretKey + " not found"));
    if (secret.getType() != null && !secret.getType().equals("kubernetes.io/tls")) {
      throw new CertificateProblem(
          Reasons.INVALID_CERTIFICATE_REF,
          "Secret " + secretKey + " is of type " + secret.getType() + " (expected: kubernetes.io/tls)");
    }
    try {
      String chain = Secrets.value(secret, "tls.crt").filter(s -> !s.isBlank()).orElseThrow(
          () -> new CertificateProblem(Reasons.INVALID_CERTIFICATE_REF, "Secret " + secretKey + " has no tls.crt"));
      String key = Secrets.value(secret, "tls.key").filter(s -> !s.isBlank()).orElseThrow(
          () -> new CertificateProblem(Reasons.INVALID_CERTIFICATE_REF, "Secret " + secretKey + " has no tls.key"));
      return new ListenerTls(chain, cipher.seal(gatewayKey, key));
    } catch (IllegalArgumentException e) {
      throw new CertificateProblem(Reasons.INVALID_CERTIFICATE_REF, e.getMessage());
    }
  }

  private static void kinds(@Nullable AllowedRoutes allowed, Draft draft) {
    List<RouteGroupKind> kinds = allowed == null || allowed.getKinds() == null ? List.of() : allowed.getKinds();
    if (kinds.isEmpty()) {
      draft.supportedKinds = List.of(RouteKind.HTTP_ROUTE);
      return;
    }
    List<RouteKind> supported = new ArrayList<>();
    List<String> unsupported = new ArrayList<>();
    for (RouteGroupKind kind : kinds) {
      RouteKind k = new RouteKind(
          kind.getGroup() == null ? Resources.GATEWAY_GROUP : kind.getGroup(), Objects.toString(kind.getKind(), ""));
      if (k.equals(RouteKind.HTTP_ROUTE)) {
        supported.add(k);
      } else {
        unsupported.add(k.group() + "/" + k.kind());
      }
    }
    draft.supportedKinds = supported;
    if (!unsupported.isEmpty()) {
      draft.resolvedRefs = Condition.fails(
          Types.RESOLVED_REFS,
          Reasons.INVALID_ROUTE_KINDS,
          "allowedRoutes.kinds: " + String.join(", ", unsupported) + " not supported (expected: HTTPRoute)",
          draft.generation);
    }
  }

  private static void from(@Nullable AllowedRoutes allowed, Draft draft) {
    if (allowed != null && allowed.getNamespaces() != null) {
      draft.from = allowed.getNamespaces().getFrom() == null ? "Same" : allowed.getNamespaces().getFrom();
      draft.selector = allowed.getNamespaces().getSelector();
    }
  }

  /** Listeners sharing a port must share the protocol and differ in hostname. */
  private static void markConflicts(List<Draft> drafts) {
    Map<Integer, List<Draft>> byPort = new HashMap<>();
    for (Draft d : drafts) {
      if (d.snapshot != null) {
        byPort.computeIfAbsent(d.snapshot.port(), p -> new ArrayList<>()).add(d);
      }
    }
    for (List<Draft> onPort : byPort.values()) {
      long protocols = onPort.stream().map(d -> d.snapshot.protocol()).distinct().count();
      for (Draft d : onPort) {
        if (protocols > 1) {
          d.conflict(Reasons.PROTOCOL_CONFLICT, "port " + d.snapshot.port() + " is used with different protocols");
          continue;
        }
        long same = onPort.stream().filter(o -> Objects.equals(o.snapshot.hostname(), d.snapshot.hostname())).count();
        if (same > 1) {
          d.conflict(Reasons.HOSTNAME_CONFLICT,
              "another listener on port " + d.snapshot.port() + " has the same hostname");
        }
      }
    }
  }

  /** A listener being checked. */
  private static final class Draft {
    final String name;
    @Nullable Long generation;
    @Nullable Listener snapshot;
    @Nullable Condition accepted;
    @Nullable Condition resolvedRefs;
    @Nullable Condition conflicted;
    List<RouteKind> supportedKinds = List.of();
    String from = "Same";
    @Nullable LabelSelector selector;

    Draft(String name) {
      this.name = name;
    }

    Draft refuse(String reason, String message) {
      accepted = Condition.fails(Types.ACCEPTED, reason, message, generation);
      snapshot = null;
      return this;
    }

    void conflict(String reason, String message) {
      conflicted = Condition.holds(Types.CONFLICTED, reason, message, generation);
      refuse(reason, message + "; the listener is not served");
    }

    ListenerResult result() {
      List<Condition> conditions = new ArrayList<>();
      conditions.add(accepted != null ? accepted
          : Condition.holds(Types.ACCEPTED, Reasons.ACCEPTED, "listener accepted", generation));
      conditions.add(snapshot != null
          ? Condition.holds(Types.PROGRAMMED, Reasons.PROGRAMMED, "listener compiled into the snapshot", generation)
          : Condition.fails(Types.PROGRAMMED, Reasons.INVALID, "listener left out of the snapshot", generation));
      conditions.add(resolvedRefs != null ? resolvedRefs
          : Condition.holds(Types.RESOLVED_REFS, Reasons.RESOLVED_REFS, "all references resolved", generation));
      conditions.add(conflicted != null ? conflicted
          : Condition.fails(Types.CONFLICTED, Reasons.NO_CONFLICTS, "no conflicts", generation));
      return new ListenerResult(name, snapshot, conditions, supportedKinds, from, selector);
    }
  }

  /** A listener's certificate cannot be used. */
  private static final class CertificateProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    CertificateProblem(String reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }
}

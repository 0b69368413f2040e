package dev.tollway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The RBAC of the control-plane chart (templates/rbac.yaml) grants config-service exactly the Kubernetes calls it
 * makes, and usage-streams none.
 */
class RbacTest {

  private static final String CONFIG_SERVICE = ControlPlaneChartTest.CONFIG_SERVICE;

  /**
   * What config-service calls on the Kubernetes API, as {@code group/resource:verb} (core group empty): informers
   * read, status written back, each Gateway's proxy Deployment, Service and Secret managed (the Secret holds the
   * snapshot key and the proxies' Kafka credentials), leader election on a Lease, Events recorded. Keep in step
   * with config-service's Kubernetes code.
   */
  static final Set<String> CALLS = calls(
      List.of("gateway.networking.k8s.io/gatewayclasses", "gateway.networking.k8s.io/gateways",
          "gateway.networking.k8s.io/httproutes", "gateway.networking.k8s.io/referencegrants",
          "agentgateway.dev/agentgatewaybackends", "agentgateway.dev/agentgatewaypolicies",
          "agentgateway.dev/agentgatewayparameters", "tollway.dev/modelprices", "tollway.dev/budgets",
          "/secrets", "/services", "/namespaces"),
      List.of("get", "list", "watch"),
      List.of("gateway.networking.k8s.io/gatewayclasses/status", "gateway.networking.k8s.io/gateways/status",
          "gateway.networking.k8s.io/httproutes/status", "agentgateway.dev/agentgatewaybackends/status",
          "agentgateway.dev/agentgatewaypolicies/status"),
      List.of("update", "patch"),
      List.of("apps/deployments", "/services"),
      List.of("create", "update", "patch", "delete", "get", "list", "watch"),
      List.of("/secrets"),
      List.of("create", "update", "delete"),
      List.of("coordination.k8s.io/leases"),
      List.of("get", "create", "update", "patch"),
      List.of("/events"),
      List.of("create"));

  /** Cluster-scoped resources: their permissions can only come from a ClusterRoleBinding. */
  private static final Set<String> CLUSTER_SCOPED = Set.of(
      "gateway.networking.k8s.io/gatewayclasses", "gateway.networking.k8s.io/gatewayclasses/status", "/namespaces");

  @Test
  void shouldGrantConfigServiceExactlyTheCallsItMakes() {
    // When
    List<Grant> grants = grants(Charts.render(Charts.CONTROL_PLANE, ""), CONFIG_SERVICE);

    // Then
    assertThat(permissions(grants)).isEqualTo(new TreeSet<>(CALLS));
  }

  @Test
  void shouldGrantCallsAcrossTheClusterExceptTheLeaseWhichStaysInTheReleaseNamespace() {
    // When
    List<Grant> grants = grants(Charts.render(Charts.CONTROL_PLANE, ""), CONFIG_SERVICE);

    // Then
    assertThat(grants).filteredOn(g -> g.permission().startsWith("coordination.k8s.io/leases:"))
        .isNotEmpty().allSatisfy(g -> assertThat(g.scope()).isEqualTo(Charts.NAMESPACE));
    assertThat(grants).filteredOn(g -> !g.permission().startsWith("coordination.k8s.io/leases:"))
        .allSatisfy(g -> assertThat(g.scope()).isEqualTo(Grant.CLUSTER));
  }

  @Test
  void shouldBindNamespacedPermissionsOnlyInTheWatchedNamespacesWhenTheyAreListed() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "controller: {watchNamespaces: [team-a, team-b]}");
    List<Grant> grants = grants(resources, CONFIG_SERVICE);

    // Then the same calls, nothing more
    assertThat(permissions(grants)).isEqualTo(new TreeSet<>(CALLS));
    // cluster-wide only what is cluster-scoped
    assertThat(grants).filteredOn(g -> g.scope().equals(Grant.CLUSTER))
        .allSatisfy(g -> assertThat(CLUSTER_SCOPED).contains(g.resource()));
    // every namespaced call (but the Lease) in each watched namespace
    Set<String> namespaced = CALLS.stream()
        .filter(call -> !CLUSTER_SCOPED.contains(call.substring(0, call.indexOf(':'))))
        .filter(call -> !call.startsWith("coordination.k8s.io/"))
        .collect(Collectors.toSet());
    for (String namespace : List.of("team-a", "team-b")) {
      assertThat(grants.stream().filter(g -> g.scope().equals(namespace)).map(Grant::permission).collect(Collectors.toSet()))
          .as(namespace).isEqualTo(namespaced);
    }
    assertThat(ControlPlaneChartTest.configServiceEnv(resources)).containsEntry("TOLLWAY_WATCH_NAMESPACES", "team-a,team-b");
  }

  @Test
  void shouldUseNoWildcardsResourceNamesOrNonResourceUrls() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "");

    // Then
    List<PolicyRule> rules = Stream.concat(
        Charts.ofType(resources, ClusterRole.class).stream().flatMap(role -> role.getRules().stream()),
        Charts.ofType(resources, Role.class).stream().flatMap(role -> role.getRules().stream())).toList();
    assertThat(rules).isNotEmpty().allSatisfy(rule -> {
      assertThat(rule.getApiGroups()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*");
      assertThat(rule.getVerbs()).doesNotContain("*");
      assertThat(rule.getResourceNames()).isEmpty();
      assertThat(rule.getNonResourceURLs()).isEmpty();
    });
  }

  @Test
  void shouldGiveUsageStreamsNoKubernetesAccess() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "");

    // Then
    assertThat(grants(resources, ControlPlaneChartTest.USAGE_STREAMS)).isEmpty();
    assertThat(Charts.one(resources, ServiceAccount.class, ControlPlaneChartTest.USAGE_STREAMS)
        .getAutomountServiceAccountToken()).isFalse();
  }

  private static Set<String> permissions(List<Grant> grants) {
    Set<String> permissions = new TreeSet<>();
    grants.forEach(grant -> permissions.add(grant.permission()));
    return permissions;
  }

  /** One permission and where it applies: {@link #CLUSTER} or a namespace. */
  record Grant(String permission, String scope) {
    static final String CLUSTER = "<cluster>";

    String resource() {
      return permission.substring(0, permission.indexOf(':'));
    }
  }

  /** Every permission bound to the ServiceAccount {@code name} of the release namespace. */
  static List<Grant> grants(List<HasMetadata> resources, String serviceAccount) {
    List<Grant> grants = new ArrayList<>();
    for (ClusterRoleBinding binding : Charts.ofType(resources, ClusterRoleBinding.class)) {
      if (names(binding.getSubjects(), serviceAccount)) {
        rules(resources, binding.getRoleRef(), null).forEach(p -> grants.add(new Grant(p, Grant.CLUSTER)));
      }
    }
    for (RoleBinding binding : Charts.ofType(resources, RoleBinding.class)) {
      if (names(binding.getSubjects(), serviceAccount)) {
        String namespace = binding.getMetadata().getNamespace();
        rules(resources, binding.getRoleRef(), namespace).forEach(p -> grants.add(new Grant(p, namespace)));
      }
    }
    return grants;
  }

  private static boolean names(List<Subject> subjects, String serviceAccount) {
    return subjects.stream().anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(serviceAccount)
        && Charts.NAMESPACE.equals(s.getNamespace()));
  }

  private static List<String> rules(List<HasMetadata> resources, RoleRef ref, @Nullable String namespace) {
    assertThat(ref.getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    List<PolicyRule> rules = switch (ref.getKind()) {
      case "ClusterRole" -> Charts.one(resources, ClusterRole.class, ref.getName()).getRules();
      case "Role" -> {
        Role role = Charts.one(resources, Role.class, ref.getName());
        assertThat(role.getMetadata().getNamespace()).as("a RoleBinding refers to a Role of its namespace").isEqualTo(namespace);
        yield role.getRules();
      }
      default -> throw new AssertionError("roleRef kind " + ref.getKind());
    };
    List<String> permissions = new ArrayList<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            permissions.add(group + "/" + resource + ":" + verb);
          }
        }
      }
    }
    return permissions;
  }

  private static Set<String> calls(List<?>... resourcesAndVerbs) {
    Set<String> calls = new TreeSet<>();
    for (int i = 0; i < resourcesAndVerbs.length; i += 2) {
      for (Object resource : resourcesAndVerbs[i]) {
        for (Object verb : resourcesAndVerbs[i + 1]) {
          calls.add(resource + ":" + verb);
        }
      }
    }
    return Set.copyOf(calls);
  }
}

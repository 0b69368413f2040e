package dev.tollway.config.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Leader election on a Lease of fabric8's mock API server. */
@EnableKubernetesMockClient(crud = true, https = false)
class LeaseLeadershipTest {

  KubernetesClient client;

  static LeaderElectionSettings settings(String identity) {
    return LeaderElectionSettings.fromEnv(Map.of(
        "TOLLWAY_LEADER_ELECTION_IDENTITY", identity,
        "TOLLWAY_LEADER_ELECTION_NAMESPACE", "tollway-system",
        "TOLLWAY_LEADER_ELECTION_LEASE_DURATION", "8s",
        "TOLLWAY_LEADER_ELECTION_RENEW_DEADLINE", "6s",
        "TOLLWAY_LEADER_ELECTION_RETRY_PERIOD", "500ms"), true);
  }

  @Test
  void shouldElectOneLeaderAndLetTheOtherTakeOverWhenItStops() {
    // Given two instances competing for the same Lease
    AtomicInteger changesA = new AtomicInteger();
    AtomicInteger changesB = new AtomicInteger();
    LeaseLeadership a = new LeaseLeadership(client, settings("config-service-a"));
    LeaseLeadership b = new LeaseLeadership(client, settings("config-service-b"));
    try (a; b) {
      // When both start
      a.start(changesA::incrementAndGet);
      b.start(changesB::incrementAndGet);

      // Then exactly one leads, and the Lease names it
      await().atMost(Duration.ofSeconds(10)).until(() -> a.isLeader() || b.isLeader());
      LeaseLeadership leader = a.isLeader() ? a : b;
      LeaseLeadership follower = leader == a ? b : a;
      String leaderId = leader == a ? "config-service-a" : "config-service-b";
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> leader.isLeader() && !follower.isLeader());
      Lease lease = client.leases().inNamespace("tollway-system").withName("tollway-config-service").get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(leaderId);

      // When the leader stops
      leader.close();

      // Then the follower takes over (the Lease was released, not left to expire) and was told
      await().atMost(Duration.ofSeconds(10)).until(follower::isLeader);
      assertThat(leader.isLeader()).isFalse();
      assertThat(List.of(changesA.get(), changesB.get())).allMatch(n -> n >= 1);
    }
  }

  @Test
  void shouldRefuseTimingsThatCannotWork() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LeaderElectionSettings.fromEnv(Map.of(
            "TOLLWAY_LEADER_ELECTION_LEASE_DURATION", "5s", "TOLLWAY_LEADER_ELECTION_RENEW_DEADLINE", "10s"), true))
        .hasMessage("TOLLWAY_LEADER_ELECTION_RENEW_DEADLINE: \"PT10S\" (expected: shorter than "
            + "TOLLWAY_LEADER_ELECTION_LEASE_DURATION (PT5S))");
  }
}

package dev.tollway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.topic.TopicDefinition;
import dev.tollway.schemas.topic.Topics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** deploy/strimzi/: the Kafka cluster, every topic of schemas/ and one user per service, read with Strimzi's model. */
class StrimziManifestsTest {

  private static final String CLUSTER = "tollway";

  /**
   * What each service does on Kafka, as {@code resourceType:name:patternType:operation}. config-service: writes
   * snapshots, prices and budgets and reads them back at start (no group). edge-proxy: reads snapshots and quota
   * decisions by assigning partitions (no group), writes usage. usage-streams: reads usage, prices and budgets,
   * writes minutes, daily spend and quota decisions, owns its internal topics, group and transactional ids (all
   * named after the application id).
   */
  private static final Map<String, Set<String>> ACLS = Map.of(
      "tollway-config-service", Set.of(
          "topic:tollway.config.v1:LITERAL:WRITE",
          "topic:tollway.config.v1:LITERAL:READ",
          "topic:tollway.config.v1:LITERAL:DESCRIBE",
          "topic:tollway.prices.v1:LITERAL:WRITE",
          "topic:tollway.prices.v1:LITERAL:READ",
          "topic:tollway.prices.v1:LITERAL:DESCRIBE",
          "topic:tollway.budgets.v1:LITERAL:WRITE",
          "topic:tollway.budgets.v1:LITERAL:READ",
          "topic:tollway.budgets.v1:LITERAL:DESCRIBE"),
      "tollway-edge-proxy", Set.of(
          "topic:tollway.config.v1:LITERAL:READ",
          "topic:tollway.config.v1:LITERAL:DESCRIBE",
          "topic:tollway.quota.v1:LITERAL:READ",
          "topic:tollway.quota.v1:LITERAL:DESCRIBE",
          "topic:tollway.usage.v1:LITERAL:WRITE",
          "topic:tollway.usage.v1:LITERAL:DESCRIBE"),
      "tollway-usage-streams", Set.of(
          "topic:tollway.usage.v1:LITERAL:READ",
          "topic:tollway.usage.v1:LITERAL:DESCRIBE",
          "topic:tollway.prices.v1:LITERAL:READ",
          "topic:tollway.prices.v1:LITERAL:DESCRIBE",
          "topic:tollway.budgets.v1:LITERAL:READ",
          "topic:tollway.budgets.v1:LITERAL:DESCRIBE",
          "topic:tollway.usage.minute.v1:LITERAL:WRITE",
          "topic:tollway.usage.minute.v1:LITERAL:DESCRIBE",
          "topic:tollway.spend.daily.v1:LITERAL:WRITE",
          "topic:tollway.spend.daily.v1:LITERAL:DESCRIBE",
          "topic:tollway.quota.v1:LITERAL:WRITE",
          "topic:tollway.quota.v1:LITERAL:DESCRIBE",
          "topic:tollway-usage-streams-:PREFIX:CREATE",
          "topic:tollway-usage-streams-:PREFIX:READ",
          "topic:tollway-usage-streams-:PREFIX:WRITE",
          "topic:tollway-usage-streams-:PREFIX:DELETE",
          "topic:tollway-usage-streams-:PREFIX:DESCRIBE",
          "topic:tollway-usage-streams-:PREFIX:DESCRIBECONFIGS",
          "group:tollway-usage-streams:LITERAL:READ",
          "group:tollway-usage-streams:LITERAL:DESCRIBE",
          "transactionalId:tollway-usage-streams:PREFIX:WRITE",
          "transactionalId:tollway-usage-streams:PREFIX:DESCRIBE"));

  private final List<HasMetadata> manifests = Charts.strimziManifests();

  @Test
  void shouldParseEveryDocumentWithTheStrimziModel() {
    // Then (parsing is strict: typed, no unknown field, read back the same)
    assertThat(manifests).extracting(HasMetadata::getKind).containsOnly("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser");
    assertThat(manifests).allSatisfy(resource -> assertThat(resource.getMetadata().getNamespace())
        .as("applied to the release namespace with -n").isNull());
    assertThat(apiVersionLines()).as("every document in Strimzi's v1 API").hasSize(manifests.size())
        .containsOnly("apiVersion: kafka.strimzi.io/v1");
    assertThat(manifests).filteredOn(r -> !(r instanceof Kafka))
        .allSatisfy(r -> assertThat(r.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", CLUSTER));
  }

  @Test
  void shouldRunKafkaInKraftModeOnANodePoolOfControllersAndBrokers() {
    // When
    Kafka kafka = Charts.one(manifests, Kafka.class, CLUSTER);
    KafkaNodePool pool = Charts.ofType(manifests, KafkaNodePool.class).get(0);

    // Then
    assertThat(kafka.getMetadata().getAnnotations())
        .containsEntry("strimzi.io/node-pools", "enabled")
        .containsEntry("strimzi.io/kraft", "enabled");
    assertThat(Charts.ofType(manifests, KafkaNodePool.class)).hasSize(1);
    assertThat(pool.getSpec().getRoles()).containsExactlyInAnyOrder(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);
    assertThat(pool.getSpec().getReplicas()).isGreaterThanOrEqualTo(3);
    Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
    int minInSync = Integer.parseInt(String.valueOf(config.get("min.insync.replicas")));
    assertThat(minInSync).as("a write survives one broker down").isBetween(2, pool.getSpec().getReplicas() - 1);
    assertThat(String.valueOf(config.get("transaction.state.log.replication.factor")))
        .as("exactly-once needs the transaction log replicated").isEqualTo(String.valueOf(pool.getSpec().getReplicas()));
    assertThat(String.valueOf(config.get("auto.create.topics.enable"))).isEqualTo("false");
    assertThat(kafka.getSpec().getKafka().getAuthorization()).isInstanceOf(KafkaAuthorizationSimple.class);
    assertThat(kafka.getSpec().getEntityOperator().getTopicOperator()).as("reconciles the KafkaTopics").isNotNull();
    assertThat(kafka.getSpec().getEntityOperator().getUserOperator()).as("reconciles the KafkaUsers").isNotNull();
  }

  @Test
  void shouldDeclareExactlyTheTopicsOfTheSchemasWithTheirPartitionsAndConfigs() {
    // Given
    int brokers = Charts.ofType(manifests, KafkaNodePool.class).get(0).getSpec().getReplicas();

    // When
    Map<String, KafkaTopic> declared = Charts.ofType(manifests, KafkaTopic.class).stream()
        .collect(Collectors.toMap(StrimziManifestsTest::topicName, topic -> topic));

    // Then
    assertThat(declared.keySet())
        .containsExactlyInAnyOrderElementsOf(Topics.all().stream().map(TopicDefinition::name).toList());
    for (TopicDefinition<?> topic : Topics.all()) {
      KafkaTopic kafkaTopic = declared.get(topic.name());
      assertThat(kafkaTopic.getSpec().getPartitions()).as(topic.name() + " partitions").isEqualTo(topic.partitions());
      Map<String, String> configs = new TreeMap<>();
      kafkaTopic.getSpec().getConfig().forEach((key, value) -> configs.put(key, String.valueOf(value)));
      assertThat(configs).as(topic.name() + " configs").isEqualTo(topic.allConfigs());
      assertThat(kafkaTopic.getSpec().getReplicas()).as(topic.name() + " replicas").isBetween(1, brokers);
    }
  }

  @Test
  void shouldGiveEachServiceAUserWithExactlyTheAclsItNeeds() {
    // When
    Map<String, KafkaUser> users = Charts.ofType(manifests, KafkaUser.class).stream()
        .collect(Collectors.toMap(user -> user.getMetadata().getName(), user -> user));

    // Then
    assertThat(users.keySet()).containsExactlyInAnyOrderElementsOf(ACLS.keySet());
    users.forEach((name, user) -> {
      assertThat(user.getSpec().getAuthentication()).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
      KafkaUserAuthorizationSimple authorization = (KafkaUserAuthorizationSimple) user.getSpec().getAuthorization();
      assertThat(authorization.getAcls()).allSatisfy(rule -> {
        assertThat(rule.getType()).isIn(null, AclRuleType.ALLOW);
        assertThat(rule.getHost()).isIn(null, "*");
        assertThat(rule.getOperation()).as("the deprecated single operation").isNull();
      });
      assertThat(granted(authorization.getAcls())).as(name).isEqualTo(new TreeSet<>(ACLS.get(name)));
    });
  }

  @Test
  void shouldMatchTheControlPlaneChartDefaults() {
    // Given the chart rendered with its default values
    List<HasMetadata> chart = Charts.render(Charts.CONTROL_PLANE, "");
    Map<String, String> controllerEnv = Charts.env(Charts.one(chart, Deployment.class, "agentgateway-config-service")
        .getSpec().getTemplate().getSpec().getContainers().get(0));
    Map<String, String> usageEnv = Charts.env(Charts.one(chart, StatefulSet.class, "agentgateway-usage-streams")
        .getSpec().getTemplate().getSpec().getContainers().get(0));
    GenericKafkaListener listener = Charts.one(manifests, Kafka.class, CLUSTER).getSpec().getKafka().getListeners().get(0);

    // Then the chart reaches this cluster's TLS listener with SCRAM, trusting the cluster CA Strimzi creates
    assertThat(listener.isTls()).isTrue();
    assertThat(listener.getAuth()).isInstanceOf(KafkaListenerAuthenticationScramSha512.class);
    for (Map<String, String> env : List.of(controllerEnv, usageEnv)) {
      assertThat(env)
          .containsEntry("TOLLWAY_KAFKA_BOOTSTRAP", CLUSTER + "-kafka-bootstrap:" + listener.getPort())
          .containsEntry("TOLLWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
          .containsEntry("TOLLWAY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    }
    assertThat(Charts.ofType(chart, Deployment.class).get(0).getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(volume -> volume.getSecret() != null)
        .anySatisfy(volume -> assertThat(volume.getSecret().getSecretName()).isEqualTo(CLUSTER + "-cluster-ca-cert"));
    // and each service logs in as its own KafkaUser, whose Secret Strimzi names after it
    assertThat(controllerEnv).containsEntry("TOLLWAY_KAFKA_SASL_JAAS_CONFIG", "<from secret tollway-config-service/sasl.jaas.config>");
    assertThat(usageEnv).containsEntry("TOLLWAY_KAFKA_SASL_JAAS_CONFIG", "<from secret tollway-usage-streams/sasl.jaas.config>");
    assertThat(controllerEnv).as("what config-service hands the proxies it provisions")
        .containsEntry("TOLLWAY_PROXY_KAFKA_SASL_JAAS_CONFIG", "<from secret tollway-edge-proxy/sasl.jaas.config>")
        .containsEntry("TOLLWAY_PROXY_KAFKA_SSL_TRUSTSTORE_CERTIFICATES", "<from secret " + CLUSTER + "-cluster-ca-cert/ca.crt>");
    // and the ACLs are written for the application id usage-streams runs with, and for Strimzi-managed topics
    assertThat(usageEnv).containsEntry("TOLLWAY_USAGE_APPLICATION_ID", "tollway-usage-streams");
    assertThat(controllerEnv).containsEntry("TOLLWAY_TOPICS", "strimzi");
  }

  /** Strimzi's model reports one version for every served one, so the version is read from the files. */
  private static List<String> apiVersionLines() {
    try (var files = java.nio.file.Files.list(Charts.STRIMZI)) {
      return files.filter(file -> file.toString().endsWith(".yaml"))
          .flatMap(file -> Charts.read(file).lines())
          .filter(line -> line.startsWith("apiVersion:"))
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String topicName(KafkaTopic topic) {
    return topic.getSpec().getTopicName() != null ? topic.getSpec().getTopicName() : topic.getMetadata().getName();
  }

  /** Strimzi's default pattern type is literal. */
  private static String pattern(io.strimzi.api.kafka.model.user.acl.AclResourcePatternType type) {
    return type == null ? "LITERAL" : type.name();
  }

  private static Set<String> granted(List<AclRule> rules) {
    Set<String> granted = new TreeSet<>();
    for (AclRule rule : rules) {
      AclRuleResource resource = rule.getResource();
      String name;
      if (resource instanceof AclRuleTopicResource topic) {
        name = topic.getName() + ":" + pattern(topic.getPatternType());
      } else if (resource instanceof AclRuleGroupResource group) {
        name = group.getName() + ":" + pattern(group.getPatternType());
      } else if (resource instanceof AclRuleTransactionalIdResource id) {
        name = id.getName() + ":" + pattern(id.getPatternType());
      } else {
        name = "kafka-cluster:LITERAL";
      }
      rule.getOperations().forEach(operation -> granted.add(resource.getType() + ":" + name + ":" + operation.name()));
    }
    return granted;
  }
}

package dev.tollway.local.kafka;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** The {@code server.properties} of a single combined-mode (broker and controller) KRaft node on 127.0.0.1. */
public final class BrokerProperties {

  /** The only node of the cluster. */
  public static final int NODE_ID = 1;

  static final String HOST = "127.0.0.1";

  private BrokerProperties() {}

  /**
   * The broker's properties.
   *
   * @param brokerPort the PLAINTEXT (client) port
   * @param controllerPort the CONTROLLER (KRaft quorum) port
   * @param logDir the folder for topic data and the metadata log
   * @param overrides properties that replace or add to the defaults
   */
  public static Properties of(int brokerPort, int controllerPort, Path logDir, Map<String, String> overrides) {
    requireNonNull(logDir, "logDir");
    requireNonNull(overrides, "overrides");
    Properties props = new Properties();
    props.setProperty("process.roles", "broker,controller");
    props.setProperty("node.id", String.valueOf(NODE_ID));
    props.setProperty("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    props.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    props.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.setProperty("controller.listener.names", "CONTROLLER");
    props.setProperty("inter.broker.listener.name", "PLAINTEXT");
    props.setProperty("log.dirs", logDir.toAbsolutePath().toString());

    // one node: every internal topic has one replica and needs one in sync
    props.setProperty("offsets.topic.replication.factor", "1");
    props.setProperty("offsets.topic.num.partitions", "1");
    props.setProperty("transaction.state.log.replication.factor", "1");
    props.setProperty("transaction.state.log.min.isr", "1");
    props.setProperty("transaction.state.log.num.partitions", "1");
    props.setProperty("share.coordinator.state.topic.replication.factor", "1");
    props.setProperty("share.coordinator.state.topic.min.isr", "1");
    props.setProperty("share.coordinator.state.topic.num.partitions", "1");
    props.setProperty("default.replication.factor", "1");
    props.setProperty("min.insync.replicas", "1");

    // quick to start and to react, small on a 2-core machine
    props.setProperty("group.initial.rebalance.delay.ms", "0");
    props.setProperty("log.cleaner.backoff.ms", "500");
    props.setProperty("num.network.threads", "2");
    props.setProperty("num.io.threads", "2");
    props.setProperty("background.threads", "2");
    props.setProperty("num.recovery.threads.per.data.dir", "1");
    props.setProperty("log.cleaner.threads", "1");
    // the cleaner's map of keys to offsets lives on the heap for the broker's whole life: Kafka's default
    // (128 MB) was most of the live heap of the local JVM and left the young generation a third of what it
    // has now, so the whole JVM paused for a collection every two seconds; 16 MB maps about 600,000 keys per
    // cleaning pass, more than the compacted topics of one machine hold (a bigger log is cleaned in parts)
    props.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));

    // topics come from the definitions in schemas, as in production; a typo is an error, not a new topic
    props.setProperty("auto.create.topics.enable", "false");

    overrides.forEach(props::setProperty);
    return props;
  }
}

package dev.tollway.config.topics;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.topic.TopicInstaller;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the missing topics of {@code schemas/} ({@code Topics.all()}) with the configured replication factor,
 * or does nothing when the deployment declares them. Existing topics are left as they are.
 *
 * <p>Kafka calls (for the ACLs of config-service's user): {@code DescribeTopics} / list topics on the cluster and
 * {@code CreateTopics} for the missing ones.
 */
public final class TopicSetup {

  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

  private final TopicSettings settings;
  private final Duration timeout;

  public TopicSetup(TopicSettings settings, Duration timeout) {
    this.settings = requireNonNull(settings, "settings");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  /**
   * Creates what is missing, if this instance creates topics.
   *
   * @return the topics created (empty when none were missing, or when creation is left to the deployment)
   * @throws IllegalStateException when the broker refuses or does not answer in time; the message says which
   *     topic and why (for example a replication factor larger than the number of brokers)
   */
  public List<String> run(Admin admin) {
    requireNonNull(admin, "admin");
    if (!settings.creates()) {
      log.debug("topics are created by the deployment ({}={})", TopicSettings.MODE, settings.mode());
      return List.of();
    }
    try {
      List<String> created = new TopicInstaller(admin, settings.replicationFactor()).installMissing(timeout.toMillis());
      if (!created.isEmpty()) {
        log.info("created topics {} with replication factor {}", created, settings.replicationFactor());
      }
      return created;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer within " + timeout + " while creating topics", e);
    }
  }

  public TopicSettings settings() {
    return settings;
  }
}

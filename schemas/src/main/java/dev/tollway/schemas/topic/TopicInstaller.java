package dev.tollway.schemas.topic;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics of {@link Topics#all()} that do not exist yet; existing topics are left as they are. */
public final class TopicInstaller {

  private final Admin admin;
  private final short replicationFactor;

  public TopicInstaller(Admin admin, short replicationFactor) {
    this.admin = requireNonNull(admin, "admin");
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replication factor: " + replicationFactor + " (expected: 1 or more)");
    }
    this.replicationFactor = replicationFactor;
  }

  /**
   * Creates the missing topics and waits for the broker to confirm.
   *
   * @return the names of the topics that were created
   */
  public List<String> installMissing(long timeoutMillis) throws InterruptedException, TimeoutException {
    try {
      Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicDefinition<?> topic : Topics.all()) {
        if (!existing.contains(topic.name())) {
          missing.add(topic.newTopic(replicationFactor));
        }
      }
      if (missing.isEmpty()) {
        return List.of();
      }
      List<String> created = new ArrayList<>();
      var results = admin.createTopics(missing).values();
      for (var entry : results.entrySet()) {
        try {
          entry.getValue().get(timeoutMillis, TimeUnit.MILLISECONDS);
          created.add(entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e);
          }
        }
      }
      return created;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e);
    }
  }
}

package dev.tollway.e2e.support;

import dev.tollway.usage.UsageStreams;
import dev.tollway.usage.UsageStreamsConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A usage-streams started by a test: its environment, and what the test reads of it. */
public final class UsageStreamsFixture {

  private UsageStreamsFixture() {}

  /**
   * A usage-streams on {@code bootstrap} with its own application id and state folder, its HTTP API on a free
   * loopback port; a mutable map, for the settings a test adds.
   */
  public static Map<String, String> env(String bootstrap, String applicationId, Path stateDir) {
    Map<String, String> env = new HashMap<>();
    env.put(UsageStreamsConfig.KAFKA_BOOTSTRAP, bootstrap);
    env.put(UsageStreamsConfig.APPLICATION_ID, applicationId);
    env.put(UsageStreamsConfig.STATE_DIR, stateDir.toString());
    env.put(UsageStreamsConfig.HTTP_HOST, "127.0.0.1");
    env.put(UsageStreamsConfig.HTTP_PORT, "0");
    return env;
  }

  /** The ids of the stream threads Kafka Streams reports metrics for. */
  public static Set<String> streamThreads(UsageStreams usage) {
    return usage.streamsMetrics().keySet().stream()
        .filter(name -> name.group().equals("stream-thread-metrics"))
        .map(name -> name.tags().get("thread-id"))
        .collect(Collectors.toSet());
  }
}

package dev.tollway.usage;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs usage-streams alone: configuration from the environment, stopped by the JVM's shutdown. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    UsageStreamsConfig config;
    try {
      config = UsageStreamsConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      LOG.error("invalid configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    UsageStreams service = new UsageStreams(config, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "usage-streams-shutdown"));
    service.start();
  }
}

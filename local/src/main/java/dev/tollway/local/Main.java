package dev.tollway.local;

import dev.tollway.config.PublishCycle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code ./tollway local}: parses the options, starts the {@link LocalStack}, prints where everything listens. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    List<String> rest = Arrays.asList(args);
    if (rest.contains("-h") || rest.contains("--help")) {
      LOG.info("\n{}", LocalOptions.USAGE);
      return;
    }
    LocalOptions options;
    try {
      options = LocalOptions.parse(rest);
    } catch (IllegalArgumentException e) {
      LOG.error("{}\n\n{}", e.getMessage(), LocalOptions.USAGE);
      System.exit(2);
      return;
    }

    LocalStack stack;
    try {
      stack = LocalStack.start(options, System.getenv(), Clock.systemUTC(), Main::report);
    } catch (RuntimeException e) {
      LOG.error("Tollway could not start: {}", e.getMessage());
      LOG.debug("start-up failure", e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping Tollway ...");
      stack.close();
      stopped.countDown();
    }, "tollway-shutdown"));

    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (!stack.isReady() && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    LOG.info("\n{}", Banner.describe(options, stack));
    stopped.await();
  }

  private static void report(PublishCycle cycle) {
    cycle.describe().forEach(line -> LOG.info("config-service: {}", line));
  }
}

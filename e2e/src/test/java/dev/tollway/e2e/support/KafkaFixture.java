package dev.tollway.e2e.support;

import dev.tollway.local.kafka.EmbeddedKafka;
import dev.tollway.schemas.topic.TopicInstaller;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A JUnit 5 extension giving each test class one Kafka broker with the topics of {@code schemas} created. Where
 * the broker comes from is {@linkplain KafkaSource chosen} from system properties: an external broker
 * ({@code -Dkafka.bootstrap=host:port}), a Testcontainers Kafka when a Docker engine is reachable, or else the
 * {@link EmbeddedKafka} in-process broker in a temporary folder.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaFixture KAFKA = new KafkaFixture();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 *
 * <p>It also works as {@code @ExtendWith(KafkaFixture.class)} with a {@code KafkaFixture} test or lifecycle method
 * parameter. Nested test classes share their enclosing class's broker. An external broker is shared by every
 * test class and keeps its data: tests on it must use their own keys or topics.
 */
public final class KafkaFixture implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaFixture.class);

  /** The image of the Docker path; {@code -Dkafka.image=...} replaces it. */
  public static final String DEFAULT_IMAGE = "apache/kafka:4.4.0";

  public static final String IMAGE_PROPERTY = "kafka.image";
  public static final String REPLICATION_PROPERTY = "kafka.replication.factor";

  private static final long TOPIC_TIMEOUT_MILLIS = 60_000;

  private @Nullable Broker broker;
  private @Nullable String startedBy;

  /** The broker's bootstrap address. */
  public String bootstrapServers() {
    return running().bootstrapServers();
  }

  /** Where the broker came from. */
  public KafkaSource source() {
    return running().source();
  }

  /** Client properties with just {@code bootstrap.servers}, to extend. */
  public Map<String, Object> clientProperties() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (broker != null) {
      return; // a nested class: the enclosing class's broker serves it
    }
    KafkaSource source = KafkaSource.choose(System.getProperties(), KafkaFixture::dockerAvailable);
    long start = System.nanoTime();
    broker = start(source, System.getProperties());
    startedBy = context.getUniqueId();
    LOG.info("Kafka for {}: {} broker on {}, ready in {} ms", context.getDisplayName(), source,
        broker.bootstrapServers(), (System.nanoTime() - start) / 1_000_000);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Broker running = broker;
    if (running != null && context.getUniqueId().equals(startedBy)) {
      broker = null;
      startedBy = null;
      running.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaFixture.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return this;
  }

  private Broker running() {
    Broker running = broker;
    if (running == null) {
      throw new IllegalStateException("no Kafka broker: register KafkaFixture as a static @RegisterExtension field "
          + "(or with @ExtendWith on the class) so that it starts before the tests");
    }
    return running;
  }

  private static Broker start(KafkaSource source, Properties properties) throws Exception {
    return switch (source) {
      case EXTERNAL -> {
        String bootstrap = KafkaSource.bootstrap(properties);
        if (bootstrap == null) {
          throw new IllegalStateException("no " + KafkaSource.BOOTSTRAP_PROPERTY);
        }
        installTopics(bootstrap, replicationFactor(properties));
        yield new Broker(source, bootstrap, () -> { });
      }
      case TESTCONTAINERS -> {
        KafkaContainer container =
            new KafkaContainer(DockerImageName.parse(properties.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE)));
        container.start();
        try {
          installTopics(container.getBootstrapServers(), (short) 1);
        } catch (Exception e) {
          container.stop();
          throw e;
        }
        yield new Broker(source, container.getBootstrapServers(), container::stop);
      }
      case EMBEDDED -> {
        // a temporary folder of its own (Files.createTempDirectory), deleted on close; topics already created
        EmbeddedKafka kafka = EmbeddedKafka.start();
        yield new Broker(source, kafka.bootstrapServers(), kafka::close);
      }
    };
  }

  private static void installTopics(String bootstrap, short replicationFactor)
      throws InterruptedException, TimeoutException {
    try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<String> created = new TopicInstaller(admin, replicationFactor).installMissing(TOPIC_TIMEOUT_MILLIS);
      LOG.info("topics created on {}: {}", bootstrap, created);
    }
  }

  private static short replicationFactor(Properties properties) {
    String value = properties.getProperty(REPLICATION_PROPERTY, "1");
    try {
      return Short.parseShort(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(REPLICATION_PROPERTY + ": " + value + " (expected: a whole number)", e);
    }
  }

  /** Whether Testcontainers finds a Docker engine (it remembers the answer for the JVM). */
  private static boolean dockerAvailable() {
    boolean available;
    try {
      available = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("Testcontainers cannot look for Docker: {}", e.toString());
      available = false;
    }
    if (!available) {
      LOG.info("no Docker engine reachable: Testcontainers Kafka skipped");
    }
    return available;
  }

  /** A running broker and how to stop it. */
  private record Broker(KafkaSource source, String bootstrapServers, Runnable stopper) implements AutoCloseable {
    @Override
    public void close() {
      stopper.run();
    }
  }
}

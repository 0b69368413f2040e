package dev.tollway.local.kafka;

import static java.util.Objects.requireNonNull;

import dev.tollway.local.kafka.EmbeddedKafkaException.Reason;
import dev.tollway.schemas.topic.TopicInstaller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one node) running in this JVM, listening on
 * 127.0.0.1, with the topics of {@code schemas} created.
 *
 * <p>{@link #start(EmbeddedKafkaConfig)} formats the storage when needed, starts the broker, waits until it
 * answers and creates the missing topics of {@link dev.tollway.schemas.topic.Topics#all()} with replication
 * factor 1. {@link #close()} stops it (idempotent) and deletes the data folder when it was temporary.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  /** Free ports can be taken by someone else between the pick and the bind: try again that many times. */
  private static final int PORT_ATTEMPTS = 3;

  private static final String LOG_DIR = "logs";
  private static final String PROPERTIES_FILE = "server.properties";

  private final KafkaRaftServer server;
  private final FolderLock folderLock;
  private final Path dataDir;
  private final boolean temporary;
  private final int brokerPort;
  private final int controllerPort;
  private final String clusterId;
  private final List<String> createdTopics;
  private final Duration startupTime;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(
      KafkaRaftServer server,
      FolderLock folderLock,
      Path dataDir,
      boolean temporary,
      int brokerPort,
      int controllerPort,
      String clusterId,
      List<String> createdTopics,
      Duration startupTime) {
    this.server = server;
    this.folderLock = folderLock;
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
    this.clusterId = clusterId;
    this.createdTopics = List.copyOf(createdTopics);
    this.startupTime = startupTime;
  }

  /** Starts a broker with its data in a temporary folder. */
  public static EmbeddedKafka start() {
    return start(EmbeddedKafkaConfig.temporary());
  }

  /**
   * Starts a broker and creates the missing topics.
   *
   * @throws EmbeddedKafkaException naming the reason when the broker cannot start within the timeout
   */
  public static EmbeddedKafka start(EmbeddedKafkaConfig config) {
    requireNonNull(config, "config");
    long startNanos = System.nanoTime();
    long deadlineNanos = startNanos + config.startupTimeout().toNanos();
    boolean temporary = config.dataDir() == null;
    Path dataDir = temporary ? createTemporaryFolder() : prepareFolder(requireNonNull(config.dataDir()));
    // Kafka locks its log folder only after it has opened (and may have recovered) the metadata log, which
    // damages a broker already running there: take a lock of our own before touching anything.
    FolderLock folderLock;
    try {
      folderLock = FolderLock.acquire(dataDir);
    } catch (RuntimeException e) {
      if (temporary) {
        deleteQuietly(dataDir);
      }
      throw e;
    }
    try {
      Path logDir = dataDir.resolve(LOG_DIR);
      String clusterId = existingClusterId(logDir);
      if (clusterId == null) {
        clusterId = Uuid.randomUuid().toString();
      }
      for (int attempt = 1; ; attempt++) {
        int brokerPort = config.brokerPort() != 0 ? config.brokerPort() : freePort();
        int controllerPort = config.controllerPort() != 0 ? config.controllerPort() : freePort(brokerPort);
        Properties props = BrokerProperties.of(brokerPort, controllerPort, logDir, config.brokerOverrides());
        Path propertiesFile = writeProperties(dataDir, props);
        format(clusterId, propertiesFile);
        KafkaRaftServer server;
        try {
          server = startServer(props, dataDir);
        } catch (PortTakenException e) {
          boolean fixedPortTaken =
              (config.brokerPort() != 0 && anyMessageContains(e, BrokerProperties.HOST + ":" + brokerPort))
                  || (config.controllerPort() != 0
                      && anyMessageContains(e, BrokerProperties.HOST + ":" + controllerPort));
          if (!fixedPortTaken && attempt < PORT_ATTEMPTS) {
            LOG.info("port taken between pick and bind, trying other ports: {}", e.getMessage());
            continue;
          }
          throw new EmbeddedKafkaException(Reason.PORT_IN_USE, e.getMessage() + " (broker port " + brokerPort
              + ", controller port " + controllerPort + " on " + BrokerProperties.HOST + ")", e.getCause());
        }
        String bootstrap = BrokerProperties.HOST + ":" + brokerPort;
        List<String> created;
        try {
          created = installTopics(bootstrap, deadlineNanos);
        } catch (RuntimeException e) {
          stopQuietly(server);
          throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        EmbeddedKafka kafka =
            new EmbeddedKafka(server, folderLock, dataDir, temporary, brokerPort, controllerPort, clusterId, created, took);
        LOG.info(
            "embedded Kafka ready on {} in {} ms (cluster {}, data {}{}, topics created: {})",
            bootstrap, took.toMillis(), clusterId, dataDir, temporary ? ", temporary" : "", created);
        return kafka;
      }
    } catch (RuntimeException e) {
      folderLock.release();
      if (temporary) {
        deleteQuietly(dataDir);
      }
      throw e;
    }
  }

  /** The address clients use: {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return BrokerProperties.HOST + ":" + brokerPort;
  }

  /** Client properties with just {@code bootstrap.servers}, to extend. */
  public Map<String, Object> clientProperties() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  public int brokerPort() {
    return brokerPort;
  }

  public int controllerPort() {
    return controllerPort;
  }

  /** The folder holding {@code server.properties} and the broker's data. */
  public Path dataDir() {
    return dataDir;
  }

  /** Whether the data folder is deleted on close. */
  public boolean temporary() {
    return temporary;
  }

  public String clusterId() {
    return clusterId;
  }

  /** The topics this start created (empty when they all existed already, as after a restart). */
  public List<String> createdTopics() {
    return createdTopics;
  }

  /** How long {@link #start(EmbeddedKafkaConfig)} took, topic creation included. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  /** Stops the broker and waits for it; deletes a temporary data folder. Calling it again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long startNanos = System.nanoTime();
    stopQuietly(server);
    folderLock.release();
    if (temporary) {
      deleteQuietly(dataDir);
    }
    LOG.info("embedded Kafka on {} stopped in {} ms", bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers() + ", data " + dataDir + (closed.get() ? ", closed" : "") + "]";
  }

  private static Path createTemporaryFolder() {
    try {
      return Files.createTempDirectory("tollway-kafka-");
    } catch (IOException e) {
      throw new EmbeddedKafkaException(
          Reason.DATA_FOLDER_UNUSABLE, "cannot create a temporary folder: " + e.getMessage(), e);
    }
  }

  private static Path prepareFolder(Path dataDir) {
    Path dir = dataDir.toAbsolutePath();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new EmbeddedKafkaException(Reason.DATA_FOLDER_UNUSABLE, dir + " is not a folder");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new EmbeddedKafkaException(Reason.DATA_FOLDER_UNUSABLE, "cannot create " + dir + ": " + e, e);
    }
    if (!Files.isWritable(dir)) {
      throw new EmbeddedKafkaException(Reason.DATA_FOLDER_UNUSABLE, dir + " is not writable");
    }
    return dir;
  }

  /** The cluster id a previous start wrote, so that a restart on the same folder keeps its data. */
  private static @Nullable String existingClusterId(Path logDir) {
    Path meta = logDir.resolve("meta.properties");
    if (!Files.isRegularFile(meta)) {
      return null;
    }
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      props.load(in);
    } catch (IOException e) {
      throw new EmbeddedKafkaException(Reason.DATA_FOLDER_UNUSABLE, "cannot read " + meta + ": " + e, e);
    }
    return props.getProperty("cluster.id");
  }

  private static Path writeProperties(Path dataDir, Properties props) {
    Path file = dataDir.resolve(PROPERTIES_FILE);
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "written by Tollway's EmbeddedKafka; rewritten at every start");
    } catch (IOException e) {
      throw new EmbeddedKafkaException(Reason.DATA_FOLDER_UNUSABLE, "cannot write " + file + ": " + e, e);
    }
    return file;
  }

  private static void format(String clusterId, Path propertiesFile) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      code = StorageTool.execute(
          new String[] {"format", "-t", clusterId, "-c", propertiesFile.toString(), "--ignore-formatted"}, out);
    } catch (RuntimeException e) {
      throw new EmbeddedKafkaException(
          Reason.FORMAT_FAILED, "cannot format " + propertiesFile.getParent() + ": " + e.getMessage(), e);
    }
    String printed = output.toString(StandardCharsets.UTF_8).strip();
    if (code != 0) {
      throw new EmbeddedKafkaException(
          Reason.FORMAT_FAILED, "kafka-storage format exited with " + code + ": " + printed);
    }
    LOG.debug("kafka-storage format: {}", printed);
  }

  private static KafkaRaftServer startServer(Properties props, Path dataDir) throws PortTakenException {
    KafkaRaftServer server;
    try {
      server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
    } catch (RuntimeException e) {
      throw classify(e, dataDir);
    }
    try {
      server.startup();
      return server;
    } catch (RuntimeException e) {
      stopQuietly(server);
      if (causedBy(e, BindException.class)) {
        throw new PortTakenException(firstMessageContaining(e, "bind"), e);
      }
      throw classify(e, dataDir);
    }
  }

  private static EmbeddedKafkaException classify(RuntimeException e, Path dataDir) {
    String message = rootMessage(e);
    if (anyMessageContains(e, "Failed to acquire lock")) {
      return new EmbeddedKafkaException(
          Reason.DATA_FOLDER_LOCKED, dataDir + " is in use by another broker: " + message, e);
    }
    return new EmbeddedKafkaException(Reason.STARTUP_FAILED, message, e);
  }

  private static List<String> installTopics(String bootstrap, long deadlineNanos) {
    int timeoutMillis = (int) Math.max(1_000, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    Map<String, Object> adminConfig = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMillis, 30_000),
        AdminClientConfig.CLIENT_ID_CONFIG, "tollway-embedded-kafka");
    try (Admin admin = Admin.create(adminConfig)) {
      admin.describeCluster().nodes().get(remainingMillis(deadlineNanos), TimeUnit.MILLISECONDS);
      return new TopicInstaller(admin, (short) 1).installMissing(remainingMillis(deadlineNanos));
    } catch (TimeoutException e) {
      throw new EmbeddedKafkaException(
          Reason.STARTUP_TIMEOUT, "the broker on " + bootstrap + " did not answer within the start-up timeout", e);
    } catch (ExecutionException e) {
      throw new EmbeddedKafkaException(
          Reason.STARTUP_TIMEOUT, "the broker on " + bootstrap + " did not answer: " + rootMessage(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException(Reason.STARTUP_FAILED, "interrupted while waiting for the broker", e);
    } catch (IllegalStateException e) {
      throw new EmbeddedKafkaException(Reason.TOPICS_FAILED, e.getMessage(), e);
    }
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  private static int freePort(int... taken) {
    for (int i = 0; i < 10; i++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(BrokerProperties.HOST))) {
        socket.setReuseAddress(true);
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new EmbeddedKafkaException(
            Reason.PORT_IN_USE, "cannot find a free port on " + BrokerProperties.HOST + ": " + e, e);
      }
      if (!contains(taken, port)) {
        return port;
      }
    }
    throw new EmbeddedKafkaException(Reason.PORT_IN_USE, "cannot find two distinct free ports");
  }

  private static boolean contains(int[] ports, int port) {
    for (int p : ports) {
      if (p == port) {
        return true;
      }
    }
    return false;
  }

  private static void stopQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("embedded Kafka did not stop cleanly: {}", e.toString());
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      Utils.delete(dir.toFile());
    } catch (IOException e) {
      LOG.warn("cannot delete the temporary Kafka folder {}: {}", dir, e.toString());
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyMessageContains(Throwable e, String text) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(text)) {
        return true;
      }
    }
    return false;
  }

  private static String firstMessageContaining(Throwable e, String text) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(text)) {
        return t.getMessage();
      }
    }
    return rootMessage(e);
  }

  private static String rootMessage(Throwable e) {
    String message = e.toString();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message;
  }

  /** A bind failed: the port was taken between the pick and the start. */
  private static final class PortTakenException extends Exception {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

package dev.tollway.local;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The options of {@code ./tollway local}.
 *
 * @param configDir the folder of Kubernetes YAML that config-service reads and watches; absent with
 *     {@code --kubernetes}
 * @param portMap a Gateway listener's declared port to the local port it is bound on
 * @param bindAddress where the Gateway listeners, the admin port and the usage API listen
 * @param usagePort the usage API's port (0 picks a free one)
 * @param adminPort edge-proxy's {@code /healthz}, {@code /readyz} and {@code /metrics} port (0 picks a free one)
 * @param dataDir where the broker's log, the proxy's last snapshot, the Streams state and the local snapshot
 *     key are kept between runs
 * @param fakeProviderPort start the fake LLM provider on this port (the offline example)
 * @param kafkaBootstrap use this broker instead of starting an embedded one
 * @param kubernetes read the resources from the Kubernetes API of the current kubeconfig context instead of a
 *     folder: status is written back, no proxy Deployments are created
 */
public record LocalOptions(
    @Nullable Path configDir,
    Map<Integer, Integer> portMap,
    String bindAddress,
    int usagePort,
    int adminPort,
    Path dataDir,
    @Nullable Integer fakeProviderPort,
    @Nullable String kafkaBootstrap,
    boolean kubernetes) {

  public static final int DEFAULT_USAGE_PORT = 8090;
  public static final int DEFAULT_ADMIN_PORT = 15021;

  public LocalOptions {
    if (kubernetes == (configDir != null)) {
      throw new IllegalArgumentException("exactly one of configDir and kubernetes");
    }
    portMap = Map.copyOf(portMap);
    requireNonNull(bindAddress, "bindAddress");
    requireNonNull(dataDir, "dataDir");
  }

  /** Options with a config folder (not {@code --kubernetes}). */
  public LocalOptions(Path configDir, Map<Integer, Integer> portMap, String bindAddress, int usagePort, int adminPort,
      Path dataDir, @Nullable Integer fakeProviderPort, @Nullable String kafkaBootstrap) {
    this(requireNonNull(configDir, "configDir"), portMap, bindAddress, usagePort, adminPort, dataDir,
        fakeProviderPort, kafkaBootstrap, false);
  }

  public static final String USAGE =
      String.join(
          "\n",
          "usage: ./tollway local --config DIR [options]",
          "       ./tollway local --kubernetes [options]",
          "",
          "Runs an embedded Kafka broker, config-service (reading DIR, or a cluster), edge-proxy and usage-streams in",
          "one JVM.",
          "",
          "  --config DIR              folder of Kubernetes YAML (Gateway, HTTPRoute, AgentgatewayBackend, Secret);",
          "                            watched for changes; ${NAME} is expanded from the environment",
          "  --kubernetes              read the cluster of the current kubeconfig context instead of a folder",
          "                            (Gateways of class agentgateway or tollway); status is written back to the",
          "                            cluster, no proxy Deployments are created: this JVM is the proxy",
          "  --port-map DECLARED=LOCAL bind a listener's declared port on another local port, e.g. 80=8080",
          "                            (repeatable, or comma-separated); unmapped ports bind as declared",
          "  --usage-port N            usage API port (default " + DEFAULT_USAGE_PORT + "; 0 picks a free port)",
          "  --admin-port N            edge-proxy /healthz /readyz /metrics port (default " + DEFAULT_ADMIN_PORT + ")",
          "  --bind ADDRESS            address to listen on (default 127.0.0.1)",
          "  --data DIR                state kept between runs (default .tollway)",
          "  --fake-provider PORT      also start the fake LLM provider on PORT (offline example; canned answers)",
          "  --kafka-bootstrap H:P     use this Kafka instead of the embedded broker",
          "  -h, --help                this help");

  /**
   * Parses the command line (without the {@code local} command itself).
   *
   * @throws IllegalArgumentException naming the option and what was expected
   */
  public static LocalOptions parse(List<String> args) {
    Path configDir = null;
    Map<Integer, Integer> portMap = new LinkedHashMap<>();
    String bind = "127.0.0.1";
    int usagePort = DEFAULT_USAGE_PORT;
    int adminPort = DEFAULT_ADMIN_PORT;
    Path dataDir = Path.of(".tollway");
    Integer fakeProviderPort = null;
    String kafkaBootstrap = null;
    boolean kubernetes = false;
    Iterator<String> it = new ArrayList<>(args).iterator();
    while (it.hasNext()) {
      String arg = it.next();
      String option = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        option = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      switch (option) {
        case "--config" -> configDir = Path.of(value(option, inline, it));
        case "--port-map" -> parsePortMap(value(option, inline, it), portMap);
        case "--usage-port" -> usagePort = port(option, value(option, inline, it));
        case "--admin-port" -> adminPort = port(option, value(option, inline, it));
        case "--bind" -> bind = value(option, inline, it);
        case "--data" -> dataDir = Path.of(value(option, inline, it));
        case "--fake-provider" -> fakeProviderPort = port(option, value(option, inline, it));
        case "--kafka-bootstrap" -> kafkaBootstrap = value(option, inline, it);
        case "--kubernetes" -> kubernetes = true;
        default -> throw new IllegalArgumentException(
            arg + ": unknown option (expected one of --config, --kubernetes, --port-map, --usage-port, --admin-port, "
                + "--bind, --data, --fake-provider, --kafka-bootstrap)");
      }
    }
    if (kubernetes && configDir != null) {
      throw new IllegalArgumentException("--config and --kubernetes: both given (expected: one of them)");
    }
    if (!kubernetes && configDir == null) {
      throw new IllegalArgumentException(
          "--config: required (expected: a folder of Kubernetes YAML, or --kubernetes for the current cluster)");
    }
    if (configDir != null && !Files.isDirectory(configDir)) {
      throw new IllegalArgumentException("--config: " + configDir + " (expected: an existing folder)");
    }
    return new LocalOptions(
        configDir == null ? null : configDir.toAbsolutePath().normalize(),
        portMap,
        bind,
        usagePort,
        adminPort,
        dataDir.toAbsolutePath().normalize(),
        fakeProviderPort,
        kafkaBootstrap,
        kubernetes);
  }

  /** {@code 80=8080,443=8443}, as edge-proxy's {@code TOLLWAY_PORT_MAP} takes it. */
  public String portMapSetting() {
    StringBuilder out = new StringBuilder();
    portMap.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.append(out.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue()));
    return out.toString();
  }

  private static String value(String option, @Nullable String inline, Iterator<String> it) {
    if (inline != null) {
      return inline;
    }
    if (!it.hasNext()) {
      throw new IllegalArgumentException(option + ": missing value");
    }
    return it.next();
  }

  private static void parsePortMap(String value, Map<Integer, Integer> into) {
    for (String pair : value.split(",")) {
      String[] parts = pair.trim().split("=", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException("--port-map: '" + pair + "' (expected: DECLARED=LOCAL, e.g. 80=8080)");
      }
      into.put(port("--port-map", parts[0]), port("--port-map", parts[1]));
    }
  }

  private static int port(String option, String value) {
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(option + ": '" + value + "' (expected: a port from 0 to 65535)");
  }
}

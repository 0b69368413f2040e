package dev.tollway.local;

import dev.tollway.edge.EdgeProxy;
import java.util.Optional;

/** The text that tells a user of {@code ./tollway local} where each part listens. */
final class Banner {

  private Banner() {}

  static String describe(LocalOptions options, LocalStack stack) {
    String host = "0.0.0.0".equals(options.bindAddress()) ? "127.0.0.1" : options.bindAddress();
    StringBuilder out = new StringBuilder();
    out.append(stack.isReady() ? "Tollway is running (local mode). Ctrl-C stops it.\n"
        : "Tollway started, but not everything is ready yet (see the log above).\n");
    out.append(String.format("  kafka           %s%s%n", stack.kafkaBootstrap(),
        stack.embeddedKafka().map(k -> "  (embedded; data in " + k.dataDir() + ")").orElse("")));
    if (options.kubernetes()) {
      out.append(String.format("  config-service  reading the cluster at %s (status written back; no proxies)%n",
          stack.kubernetes().map(k -> k.getMasterUrl().toString()).orElse("?")));
    } else {
      out.append(String.format("  config-service  watching %s%n", options.configDir()));
    }
    EdgeProxy edge = stack.edgeProxy();
    if (edge.routingTable().declaredPorts().isEmpty()) {
      out.append(options.kubernetes()
          ? "  edge-proxy      no Gateway yet: kubectl apply a Gateway of class agentgateway\n"
          : "  edge-proxy      no Gateway yet: add a Gateway of class agentgateway to the folder\n");
    }
    for (int declared : edge.routingTable().declaredPorts()) {
      Optional<Integer> local = edge.localPort(declared);
      out.append(String.format("  edge-proxy      %s listener :%d -> %s%n",
          String.join(", ", edge.routingTable().gatewayKeys()), declared,
          local.map(p -> "http://" + host + ":" + p).orElse("not bound (see the log)")));
    }
    out.append(String.format("  edge admin      http://%s:%d/readyz  /metrics%n", host, edge.adminPort()));
    int usagePort = stack.usageStreams().httpPort();
    out.append(String.format("  usage-streams   http://%s:%d/v1/usage?groupBy=model   /v1/spend?groupBy=model%n",
        host, usagePort));
    out.append(String.format("  dashboard       http://%s:%d/%n", host, usagePort));
    stack.fakeProvider().ifPresent(fake -> out.append(String.format(
        "  fake provider   %s  (OFFLINE: canned answers, not a real LLM)%n", fake.baseUrl())));
    return out.toString();
  }
}

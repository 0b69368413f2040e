package dev.tollway.deploy;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a Kubernetes API server for Helm's {@code lookup} of a Secret: discovery of {@code v1} and
 * {@code GET} of one Secret, answered from a map the test fills. helm-java 0.0.16 runs lookups against the
 * cluster of the current kubeconfig even for {@code template}; {@link #writeKubeconfig(Path)} points it here.
 */
final class FakeKubernetesApi implements AutoCloseable {

  private static final Pattern SECRET = Pattern.compile("/api/v1/namespaces/([^/]+)/secrets/([^/?]+)");

  private final HttpServer server;
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  FakeKubernetesApi() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** Serves {@code secretJson} as the Secret {@code namespace/name}. */
  void putSecret(String namespace, String name, String secretJson) {
    secrets.put(namespace + "/" + name, requireNonNull(secretJson, "secretJson"));
  }

  void clear() {
    secrets.clear();
    requests.clear();
  }

  /** The paths requested so far, in order. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  /** Writes a kubeconfig whose current context is this server. */
  void writeKubeconfig(Path file) throws IOException {
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: fake",
        "  cluster:",
        "    server: " + url,
        "contexts:",
        "- name: fake",
        "  context:",
        "    cluster: fake",
        "    user: fake",
        "current-context: fake",
        "users:",
        "- name: fake",
        "  user:",
        "    token: fake",
        ""));
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.add(exchange.getRequestMethod() + " " + path);
    Matcher secret = SECRET.matcher(path);
    if (path.equals("/api/v1")) {
      respond(exchange, 200, """
          {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
            {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret",
             "verbs":["create","delete","get","list","patch","update","watch"]}]}""");
    } else if (path.equals("/api")) {
      respond(exchange, 200, """
          {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[]}""");
    } else if (path.equals("/apis")) {
      respond(exchange, 200, """
          {"kind":"APIGroupList","apiVersion":"v1","groups":[]}""");
    } else if (path.equals("/version")) {
      respond(exchange, 200, """
          {"major":"1","minor":"32","gitVersion":"v1.32.0"}""");
    } else if (secret.matches() && exchange.getRequestMethod().equals("GET")
        && secrets.containsKey(secret.group(1) + "/" + secret.group(2))) {
      respond(exchange, 200, secrets.get(secret.group(1) + "/" + secret.group(2)));
    } else {
      respond(exchange, 404, """
          {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,
           "message":"not found"}""");
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

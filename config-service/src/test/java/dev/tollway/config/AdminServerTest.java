package dev.tollway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.admin.AdminServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AdminServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private int status(AdminServer admin, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void shouldAnswerTheProbesFromTheServicesState() throws Exception {
    // Given a live service that is not ready yet
    AtomicBoolean ready = new AtomicBoolean();
    try (AdminServer admin = AdminServer.start("127.0.0.1", 0, () -> true, ready::get,
        () -> "tollway_config_snapshots 0.0\n")) {
      // Then liveness passes and readiness does not
      assertThat(status(admin, "/healthz")).isEqualTo(200);
      assertThat(status(admin, "/readyz")).isEqualTo(503);

      // When it becomes ready, then readiness passes
      ready.set(true);
      assertThat(status(admin, "/readyz")).isEqualTo(200);
    }
  }
}

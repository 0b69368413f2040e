package dev.tollway.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.usage.UsageStreams;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Reads an in-process usage-streams' {@code /v1/spend}. */
public final class SpendApi {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private SpendApi() {}

  /**
   * The requests {@code /v1/spend?groupBy=key} counts from {@code from} on, per API key id that starts with
   * {@code prefix} (a test's own keys: an external broker may be shared).
   */
  public static Map<String, Long> requestsPerKey(UsageStreams usage, String prefix, Instant from)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + usage.httpPort() + "/v1/spend?groupBy=key&from=" + from);
    HttpResponse<String> response =
        HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Map<String, Long> requests = new HashMap<>();
    for (JsonNode row : TollwayStack.json(response.body()).get("rows")) {
      String key = row.get("apiKeyId").asText();
      if (key.startsWith(prefix)) {
        requests.merge(key, row.get("requests").asLong(), Long::sum);
      }
    }
    return requests;
  }
}

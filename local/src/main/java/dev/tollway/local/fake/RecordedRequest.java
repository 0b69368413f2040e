package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request a fake provider received, and what it answered.
 *
 * @param provider {@code openai}, {@code anthropic}, {@code gemini}, or {@code null} for a path no fake serves
 * @param method the HTTP method
 * @param path the request path, without the query
 * @param query the query string without {@code ?} (empty when there is none)
 * @param headers the headers, names in lower case
 * @param body the body as UTF-8 text
 * @param reply what the fake answered
 */
public record RecordedRequest(
    @Nullable String provider,
    String method,
    String path,
    String query,
    Map<String, List<String>> headers,
    String body,
    Reply reply) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public RecordedRequest {
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    requireNonNull(query, "query");
    requireNonNull(headers, "headers");
    requireNonNull(body, "body");
    requireNonNull(reply, "reply");
    headers = Map.copyOf(headers);
  }

  /**
   * What the fake answered (or meant to: an injected cut or reset can end it early).
   *
   * @param status the HTTP status
   * @param stream whether the answer was a stream of server-sent events
   * @param inputTokens the input tokens reported, 0 for an error
   * @param outputTokens the output tokens reported, 0 for an error
   */
  public record Reply(int status, boolean stream, int inputTokens, int outputTokens) {}

  /** The first value of a header, by case-insensitive name. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * The body as JSON.
   *
   * @throws UncheckedIOException when the body is not JSON
   */
  public JsonNode json() {
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("the recorded body is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** For logs and assertion messages; header values are left out, as they hold keys. */
  @Override
  public String toString() {
    return "RecordedRequest[" + method + " " + path + (query.isEmpty() ? "" : "?" + query) + ", provider "
        + provider + ", headers " + headers.keySet() + ", " + body.length() + " chars, " + reply + "]";
  }
}

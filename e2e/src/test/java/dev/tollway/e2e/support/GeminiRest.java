package dev.tollway.e2e.support;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.schemas.serde.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A Gemini client speaking the REST API as Google documents it ({@code models/{model}:generateContent},
 * {@code :streamGenerateContent?alt=sse}, {@code :countTokens}, the key as the {@code key} query parameter), for
 * lack of an official
 * Gemini SDK among the test dependencies: what it sends and what it reads are the API's own JSON.
 */
public final class GeminiRest {

  private final TollwayStack tollway;
  private final String prefix;

  /** @param prefix the route's path before {@code /v1beta/models/...} */
  public GeminiRest(TollwayStack tollway, String prefix) {
    this.tollway = requireNonNull(tollway, "tollway");
    this.prefix = requireNonNull(prefix, "prefix");
  }

  /** A complete answer, or a stream's chunks joined: the text of the first candidate, its finish, the usage. */
  public record Answer(int status, String text, String finishReason, JsonNode usageMetadata, int chunks, String body) {}

  /** {@code :generateContent} with one user text. */
  public Answer generate(String model, String userText, String key) {
    HttpResponse<String> response = tollway.post(
        prefix + "/v1beta/models/" + model + ":generateContent?key=" + key, body(userText));
    if (response.statusCode() != 200) {
      return new Answer(response.statusCode(), "", "", Json.mapper().createObjectNode(), 0, response.body());
    }
    JsonNode json = parse(response.body());
    return new Answer(200, text(json), json.at("/candidates/0/finishReason").asText(""), json.path("usageMetadata"), 1,
        response.body());
  }

  /** {@code :streamGenerateContent?alt=sse} with one user text: the {@code data:} events read in order. */
  public Answer stream(String model, String userText, String key) {
    HttpResponse<String> response = tollway.post(
        prefix + "/v1beta/models/" + model + ":streamGenerateContent?alt=sse&key=" + key, body(userText));
    if (response.statusCode() != 200) {
      return new Answer(response.statusCode(), "", "", Json.mapper().createObjectNode(), 0, response.body());
    }
    StringBuilder text = new StringBuilder();
    String finish = "";
    JsonNode usage = Json.mapper().createObjectNode();
    List<JsonNode> chunks = new ArrayList<>();
    for (String event : response.body().split("\r?\n\r?\n")) {
      for (String line : event.split("\r?\n")) {
        if (line.startsWith("data:")) {
          chunks.add(parse(line.substring(5).strip()));
        }
      }
    }
    for (JsonNode chunk : chunks) {
      text.append(text(chunk));
      if (!chunk.at("/candidates/0/finishReason").asText("").isEmpty()) {
        finish = chunk.at("/candidates/0/finishReason").asText();
      }
      if (chunk.has("usageMetadata")) {
        usage = chunk.get("usageMetadata");
      }
    }
    return new Answer(200, text.toString(), finish, usage, chunks.size(), response.body());
  }

  /** {@code :countTokens} of one user text: the status and {@code totalTokens} (-1 when refused). */
  public long countTokens(String model, String userText, String key) {
    HttpResponse<String> response = tollway.post(
        prefix + "/v1beta/models/" + model + ":countTokens?key=" + key, body(userText));
    return response.statusCode() == 200 ? parse(response.body()).path("totalTokens").asLong(-1) : -1;
  }

  private static String body(String userText) {
    var body = Json.mapper().createObjectNode();
    body.putArray("contents").addObject().put("role", "user").putArray("parts").addObject().put("text", userText);
    return body.toString();
  }

  private static String text(JsonNode json) {
    StringBuilder text = new StringBuilder();
    for (JsonNode part : json.at("/candidates/0/content/parts")) {
      text.append(part.path("text").asText(""));
    }
    return text.toString();
  }

  private static JsonNode parse(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }
}

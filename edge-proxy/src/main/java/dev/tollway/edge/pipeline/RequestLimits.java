package dev.tollway.edge.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import java.io.IOException;

/**
 * Limits on the JSON a client sends, checked while the body is parsed: nesting depth, string length, number
 * length, and duplicate keys (refused: two values for one field would be read differently by the proxy and the
 * provider). A body over a limit is {@code INVALID_REQUEST} naming the limit, in the client's API shape.
 */
public final class RequestLimits {

  private final int maxDepth;
  private final int maxStringLength;
  private final ObjectMapper mapper;

  /**
   * @param maxDepth the deepest nesting of objects and arrays
   * @param maxStringLength the longest string value, in characters
   */
  public RequestLimits(int maxDepth, int maxStringLength) {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth: " + maxDepth + " (expected: 1 or more)");
    }
    if (maxStringLength < 1) {
      throw new IllegalArgumentException("maxStringLength: " + maxStringLength + " (expected: 1 or more)");
    }
    this.maxDepth = maxDepth;
    this.maxStringLength = maxStringLength;
    StreamReadConstraints constraints = StreamReadConstraints.builder()
        .maxNestingDepth(maxDepth)
        .maxStringLength(maxStringLength)
        .maxNumberLength(100)
        .maxNameLength(maxStringLength)
        .build();
    this.mapper = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build())
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();
  }

  /** 64 levels, 8 MiB strings. */
  public static RequestLimits defaults() {
    return new RequestLimits(64, 8 * 1024 * 1024);
  }

  public int maxDepth() {
    return maxDepth;
  }

  public int maxStringLength() {
    return maxStringLength;
  }

  /**
   * Parses a request body that must be a JSON object.
   *
   * @throws GatewayException {@code INVALID_REQUEST} saying what is wrong, never quoting the body
   */
  public JsonNode parseObject(byte[] body) {
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (StreamConstraintsException e) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST, "the request body exceeds a limit: " + limitOf(e));
    } catch (IOException | RuntimeException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      if (message.startsWith("Duplicate field")) {
        throw new GatewayException(ErrorReason.INVALID_REQUEST, "the request body is not valid JSON: a field appears twice");
      }
      if (message.contains("Invalid UTF-8")) {
        throw new GatewayException(ErrorReason.INVALID_REQUEST, "the request body is not valid UTF-8");
      }
      throw new GatewayException(ErrorReason.INVALID_REQUEST, "the request body is not valid JSON");
    }
    if (json == null || !json.isObject()) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST, "the request body must be a JSON object");
    }
    return json;
  }

  /**
   * A streaming parser of a request body under these limits (depth, number and name length, duplicate keys,
   * UTF-8), for a reader that needs only a few fields. A string value the reader skips is not measured
   * against the string limit: such a reader must only take bodies no longer than {@link #maxStringLength}.
   */
  JsonParser parser(byte[] body) throws IOException {
    return mapper.createParser(body);
  }

  private String limitOf(StreamConstraintsException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.contains("nesting depth")) {
      return "nested deeper than " + maxDepth + " levels";
    }
    if (message.contains("String value length")) {
      return "a string longer than " + maxStringLength + " characters";
    }
    if (message.contains("Number value length")) {
      return "a number longer than 100 digits";
    }
    if (message.contains("Name length")) {
      return "a field name longer than " + maxStringLength + " characters";
    }
    return "too large";
  }
}

package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a Bedrock or Vertex AI path names, read from the path as sent (a Bedrock model id is one
 * percent-encoded segment, so an ARN's {@code /} arrives as {@code %2F}):
 *
 * <ul>
 *   <li>Bedrock: {@code /model/{modelId}/{operation}}, operation {@code converse}, {@code converse-stream},
 *       {@code invoke} or {@code count-tokens};
 *   <li>Vertex AI: {@code /v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:{method}}.
 * </ul>
 *
 * @param publisher Vertex AI's publisher ({@code google}, {@code anthropic}); empty for Bedrock
 * @param model the model, percent-decoded
 * @param operation Bedrock's operation or Vertex AI's method
 */
record CloudPath(Cloud cloud, String publisher, String model, String operation) {

  /** Which cloud a path is of. */
  enum Cloud {
    BEDROCK,
    VERTEX
  }

  private static final Pattern BEDROCK = Pattern.compile("/model/([^/]+)/(converse|converse-stream|invoke|count-tokens)");
  private static final Pattern VERTEX = Pattern.compile(
      "/v1/projects/[^/]+/locations/[^/]+/publishers/([a-z0-9-]+)/models/([^/:]+):([A-Za-z]+)");

  CloudPath {
    requireNonNull(cloud, "cloud");
    requireNonNull(publisher, "publisher");
    requireNonNull(model, "model");
    requireNonNull(operation, "operation");
  }

  /** The cloud path a raw path is, or null when it is neither Bedrock's nor Vertex AI's. */
  static @Nullable CloudPath parse(String rawPath) {
    Matcher bedrock = BEDROCK.matcher(rawPath);
    if (bedrock.matches()) {
      String model = decode(bedrock.group(1));
      return model == null ? null : new CloudPath(Cloud.BEDROCK, "", model, bedrock.group(2));
    }
    Matcher vertex = VERTEX.matcher(rawPath);
    if (vertex.matches()) {
      String model = decode(vertex.group(2));
      return model == null ? null : new CloudPath(Cloud.VERTEX, vertex.group(1), model, vertex.group(3));
    }
    return null;
  }

  boolean is(Cloud other, String publisherName, String operationName) {
    return cloud == other && publisher.equals(publisherName) && operation.equals(operationName);
  }

  private static @Nullable String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}

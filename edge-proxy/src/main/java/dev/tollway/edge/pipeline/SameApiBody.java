package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI Chat Completions body that may go to an OpenAI-format provider as the client's own bytes: not
 * streamed, with a string {@code model} and a non-empty {@code messages} array. It is found by
 * {@link #scan}, which reads the body with a streaming parser under the {@link RequestLimits} and keeps only
 * those fields, so the body is neither built into a tree nor decoded.
 *
 * @param bytes the body as the client sent it
 * @param model the body's {@code model}
 */
record SameApiBody(byte[] bytes, String model) {

  SameApiBody {
    requireNonNull(bytes, "bytes");
    requireNonNull(model, "model");
  }

  /**
   * The body as a same-API body, or null when it is not one — it asks for a stream, has no string
   * {@code model}, no non-empty {@code messages} array, is not a JSON object, breaks a limit or is longer
   * than the string limit (whose skipped strings this scan does not measure). Null says "take the decoding
   * path", which gives every refusal its usual message; this scan never refuses anything itself.
   */
  static @Nullable SameApiBody scan(byte[] body, RequestLimits limits) {
    if (body.length == 0 || body.length > limits.maxStringLength()) {
      return null;
    }
    try (JsonParser parser = limits.parser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String model = null;
      boolean messages = false;
      for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "model" -> {
            if (value != JsonToken.VALUE_STRING) {
              return null;
            }
            model = parser.getText();
          }
          case "stream" -> {
            if (value != JsonToken.VALUE_FALSE && value != JsonToken.VALUE_NULL) {
              return null;
            }
          }
          case "messages" -> {
            if (value != JsonToken.START_ARRAY) {
              return null;
            }
            messages = parser.nextToken() != JsonToken.END_ARRAY;
            if (messages) {
              skipValueAndRest(parser);
            }
          }
          default -> skipValue(parser);
        }
      }
      // the object's end: what follows it is ignored, as when the body is parsed whole
      return model != null && messages ? new SameApiBody(body, model) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Walks over a value whose first token is current, reading every token so that the limits are checked. */
  private static void skipValue(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
      skipToEnd(parser);
    } else {
      touch(parser, token);
    }
  }

  /** Inside an array whose current token is its first element: walks to the array's end. */
  private static void skipValueAndRest(JsonParser parser) throws IOException {
    skipValue(parser);
    skipToEnd(parser);
  }

  /** Walks to the end of the object or array the parser is in, reading every token. */
  private static void skipToEnd(JsonParser parser) throws IOException {
    int depth = 1;
    while (depth > 0) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw new IOException("unexpected end of the body");
      }
      switch (token) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> depth--;
        default -> touch(parser, token);
      }
    }
  }

  /** A string is decoded (into the parser's own buffer) so that its UTF-8 is checked as a whole parse would. */
  private static void touch(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      parser.getTextLength();
    }
  }
}

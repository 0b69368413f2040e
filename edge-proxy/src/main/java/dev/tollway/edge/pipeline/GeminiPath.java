package dev.tollway.edge.pipeline;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a Gemini client's path says: {@code .../models/{model}:{method}}, as in
 * {@code /v1beta/models/gemini-2.5-flash:streamGenerateContent} (a Vertex-style
 * {@code .../publishers/google/models/{model}:{method}} reads the same).
 *
 * @param model the model, percent-decoded
 * @param method {@code generateContent}, {@code streamGenerateContent}, {@code countTokens}, ...
 */
record GeminiPath(String model, String method) {

  private static final Pattern PATH = Pattern.compile(".*/models/([^/:]+):([A-Za-z]+)$");

  /** The model and method of a path, if it has that shape. */
  static @Nullable GeminiPath parse(String path) {
    Matcher matcher = PATH.matcher(path);
    if (!matcher.matches()) {
      return null;
    }
    String model;
    try {
      model = URLDecoder.decode(matcher.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return new GeminiPath(model, matcher.group(2));
  }

  /**
   * The path of a Gemini client request, which must name the model and method.
   *
   * @throws GatewayException {@code INVALID_REQUEST} when it does not
   */
  static GeminiPath require(String path, String expected) {
    GeminiPath parsed = parse(path);
    if (parsed == null) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST,
          "path " + path + ": expected .../models/{model}:" + expected);
    }
    return parsed;
  }

  boolean streams() {
    return method.equals("streamGenerateContent");
  }
}

package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Exposes the requested model before routing. A body that is a JSON object is parsed once (later handlers
 * reuse it); its {@code model} — or, for a Gemini path, the model in the path — becomes the request header
 * {@code x-gateway-model}, replacing any the client sent, so an {@code HTTPRoute} header match can pick a rule
 * by model and one URL can serve many models. Without a model in the request, a client's own
 * {@code x-gateway-model} is left as it is. The header never reaches an LLM provider.
 */
final class ModelHeaderHandler implements HttpHandler {

  /** The requested model, for header matches in {@code HTTPRoute} rules. */
  static final HttpString X_GATEWAY_MODEL = new HttpString("x-gateway-model");

  /** What may go into a header value: visible ASCII and spaces, at most 256 characters. */
  private static final Pattern HEADER_SAFE = Pattern.compile("[\\x20-\\x7e]{1,256}");

  private final RequestLimits limits;
  private final HttpHandler next;

  ModelHeaderHandler(RequestLimits limits, HttpHandler next) {
    this.limits = requireNonNull(limits, "limits");
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String path = RouteHandler.rawPath(exchange.getRequestURI());
    ObjectNode json = parseObject(exchange.getAttachment(Attachments.BODY), limits);
    String model = null;
    if (json != null) {
      exchange.putAttachment(Attachments.BODY_JSON, json);
      JsonNode value = json.get("model");
      model = value != null && value.isTextual() ? value.textValue().strip() : null;
    }
    if (model == null || model.isEmpty()) {
      GeminiPath gemini = GeminiPath.parse(path);
      model = gemini == null ? null : gemini.model();
    }
    if (model != null && HEADER_SAFE.matcher(model).matches()) {
      exchange.getRequestHeaders().put(X_GATEWAY_MODEL, model);
    }
    next.handleRequest(exchange);
  }

  /**
   * The body as a JSON object, or null when it is empty, not JSON, over a limit of {@link RequestLimits}, or
   * another JSON value (the client API's handler then answers the problem in the client's shape).
   */
  static @Nullable ObjectNode parseObject(byte @Nullable [] body, RequestLimits limits) {
    if (body == null || !startsLikeObject(body)) {
      return null;
    }
    try {
      JsonNode json = limits.parseObject(body);
      return json instanceof ObjectNode object ? object : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean startsLikeObject(byte[] body) {
    for (byte b : body) {
      if (b == '{') {
        return true;
      }
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != (byte) 0xEF && b != (byte) 0xBB && b != (byte) 0xBF) {
        return false;
      }
    }
    return false;
  }
}

package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Google Vertex AI's publisher models, authenticated by {@code Authorization: Bearer <access token>} that the
 * fake's token endpoint issued ({@link GoogleTokenEndpoint}) with the {@code cloud-platform} scope:
 *
 * <ul>
 *   <li>Gemini models ({@code .../publishers/google/models/{m}:generateContent} and
 *       {@code :streamGenerateContent?alt=sse}): Gemini's own wire format ({@link GeminiApi});
 *   <li>Claude models ({@code .../publishers/anthropic/models/{m}:rawPredict} and {@code :streamRawPredict}):
 *       Anthropic's Messages format ({@link AnthropicApi}), but the model is the path's and the body must say
 *       {@code "anthropic_version": "vertex-2023-10-16"} instead of an {@code anthropic-version} header.
 * </ul>
 *
 * Errors of the platform (credentials, quota, injected failures) are Google's
 * {@code {"error": {"code", "message", "status"}}}; a Claude request the model refuses is Anthropic's error.
 */
final class VertexApi implements ProviderApi {

  static final String ANTHROPIC_VERSION = "vertex-2023-10-16";
  static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Pattern GOOGLE_STATUS = Pattern.compile("[A-Z_]+");
  private static final GeminiApi GEMINI = new GeminiApi();
  private static final AnthropicApi ANTHROPIC = new AnthropicApi();

  private final boolean claude;

  private VertexApi(boolean claude) {
    this.claude = claude;
  }

  /** Google's models: {@code generateContent}. */
  static VertexApi gemini() {
    return new VertexApi(false);
  }

  /** Anthropic's models: {@code rawPredict}. */
  static VertexApi claude() {
    return new VertexApi(true);
  }

  boolean isClaude() {
    return claude;
  }

  @Override
  public String name() {
    return "vertexai";
  }

  /** A bearer access token the fake issued, unexpired, with the {@code cloud-platform} scope. */
  @Override
  public @Nullable ApiError authenticate(Incoming request) {
    String authorization = request.headers().getFirst("Authorization");
    String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).strip() : "";
    Optional<TrustedCredentials.IssuedToken> issued = request.trusted().validToken(token);
    if (issued.isEmpty()) {
      return new ApiError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 "
          + "access token, login cookie or other valid authentication credential. See "
          + "https://developers.google.com/identity/sign-in/web/devconsole-project.");
    }
    if (!List.of(issued.get().scope().split(" ")).contains(SCOPE)) {
      return new ApiError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.");
    }
    return null;
  }

  @Override
  public ChatInput parse(JsonNode body, @Nullable String pathModel, boolean pathStream) {
    requireNonNull(pathModel, "pathModel");
    if (!claude) {
      return GEMINI.parse(body, pathModel, pathStream);
    }
    if (!body.isObject()) {
      throw new ApiError.Refused(ANTHROPIC.notJson());
    }
    JsonNode version = body.path("anthropic_version");
    if (!version.isTextual()) {
      throw new ApiError.Refused(new ApiError(400, "invalid_request_error", "anthropic_version: Field required"));
    }
    if (!version.asText().equals(ANTHROPIC_VERSION)) {
      throw new ApiError.Refused(new ApiError(400, "invalid_request_error",
          "anthropic_version: Input should be '" + ANTHROPIC_VERSION + "'"));
    }
    ObjectNode withModel = ((ObjectNode) body).deepCopy();
    withModel.put("model", pathModel);
    ChatInput input = ANTHROPIC.parse(withModel, null, false);
    return new ChatInput(pathModel, input.stream(), false, input.inputTokens(), input.maxOutputTokens(), input.toolToCall());
  }

  @Override
  public ApiError errorFor(int status) {
    return GEMINI.errorFor(status);
  }

  @Override
  public ApiError notJson() {
    return claude ? ANTHROPIC.notJson() : GEMINI.notJson();
  }

  /** Google's shape for the platform's errors (an upper-case status), Anthropic's for a Claude model's. */
  @Override
  public byte[] errorBody(ApiError error, long sequence) {
    if (claude && !GOOGLE_STATUS.matcher(error.type()).matches()) {
      return ANTHROPIC.errorBody(error, sequence);
    }
    ObjectNode body = JSON.objectNode();
    body.putObject("error").put("code", error.status()).put("message", error.message()).put("status", error.type());
    return ProviderApi.json(body);
  }

  @Override
  public String eventStreamContentType() {
    return claude ? ANTHROPIC.eventStreamContentType() : GEMINI.eventStreamContentType();
  }

  @Override
  public byte[] response(ChatInput input, FakeAnswer answer, long sequence, long created) {
    return claude ? ANTHROPIC.response(input, answer, sequence, created) : GEMINI.response(input, answer, sequence, created);
  }

  @Override
  public List<byte[]> streamEvents(ChatInput input, FakeAnswer answer, long sequence, long created) {
    return claude
        ? ANTHROPIC.streamEvents(input, answer, sequence, created)
        : GEMINI.streamEvents(input, answer, sequence, created);
  }
}

package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.util.HeaderMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Azure OpenAI's v1 API ({@code /openai/v1/chat/completions}, {@code /openai/v1/responses}): OpenAI's wire
 * format, authenticated by the {@code api-key} header instead of a bearer token.
 */
final class AzureOpenAiApi implements ProviderApi {

  private final ProviderApi openAiShaped;

  AzureOpenAiApi(ProviderApi openAiShaped) {
    this.openAiShaped = requireNonNull(openAiShaped, "openAiShaped");
  }

  @Override
  public String name() {
    return "azureopenai";
  }

  @Override
  public @Nullable ApiError authenticate(Incoming request) {
    HeaderMap headers = request.headers();
    String key = headers.getFirst("api-key");
    if (key == null || key.isBlank()) {
      return new ApiError(401, "401", "Access denied due to invalid subscription key or wrong API endpoint. Make "
          + "sure to provide a valid key for an active subscription and use a correct regional API endpoint for "
          + "your resource.");
    }
    return null;
  }

  @Override
  public ChatInput parse(JsonNode body, @Nullable String pathModel, boolean pathStream) {
    return openAiShaped.parse(body, pathModel, pathStream);
  }

  @Override
  public ApiError errorFor(int status) {
    return openAiShaped.errorFor(status);
  }

  @Override
  public ApiError notJson() {
    return openAiShaped.notJson();
  }

  @Override
  public byte[] errorBody(ApiError error, long sequence) {
    return openAiShaped.errorBody(error, sequence);
  }

  @Override
  public byte[] response(ChatInput input, FakeAnswer answer, long sequence, long createdEpochSeconds) {
    return openAiShaped.response(input, answer, sequence, createdEpochSeconds);
  }

  @Override
  public List<byte[]> streamEvents(ChatInput input, FakeAnswer answer, long sequence, long createdEpochSeconds) {
    return openAiShaped.streamEvents(input, answer, sequence, createdEpochSeconds);
  }
}

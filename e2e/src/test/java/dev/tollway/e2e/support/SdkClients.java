package dev.tollway.e2e.support;

import static java.util.Objects.requireNonNull;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Tool;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The official OpenAI and Anthropic SDK clients of the round-trip tests, one per base path below the gateway,
 * all sending the same client key and never retrying; and the weather tool both SDKs declare. Close it with the
 * stack: the clients' threads would keep the test JVM alive.
 */
public final class SdkClients implements AutoCloseable {

  /** The key the clients send; it must never reach a provider. */
  public static final String CLIENT_KEY = "sk-client-key-never-forwarded";
  /** A question that makes a model call the weather tool. */
  public static final String WEATHER = "What is the weather in Paris?";

  private final Supplier<String> gatewayUrl;
  private final Map<String, OpenAIClient> openAi = new HashMap<>();
  private final Map<String, AnthropicClient> anthropic = new HashMap<>();

  /** @param gatewayUrl the gateway's base URL, asked when a client is first made */
  public SdkClients(Supplier<String> gatewayUrl) {
    this.gatewayUrl = requireNonNull(gatewayUrl, "gatewayUrl");
  }

  /** The OpenAI client for {@code basePath} (e.g. {@code /openai/v1}). */
  public synchronized OpenAIClient openAi(String basePath) {
    return openAi.computeIfAbsent(basePath, path ->
        OpenAIOkHttpClient.builder().baseUrl(gatewayUrl.get() + path).apiKey(CLIENT_KEY).maxRetries(0).build());
  }

  /** The Anthropic client for {@code basePath}. */
  public synchronized AnthropicClient anthropic(String basePath) {
    return anthropic.computeIfAbsent(basePath, path ->
        AnthropicOkHttpClient.builder().baseUrl(gatewayUrl.get() + path).apiKey(CLIENT_KEY).maxRetries(0).build());
  }

  /** {@code get_weather(city)} as an OpenAI chat function. */
  public static FunctionDefinition weatherFunction() {
    return FunctionDefinition.builder().name("get_weather").description("The current weather in a city.")
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .build())
        .build();
  }

  /** {@code get_weather(city)} as an Anthropic tool. */
  public static Tool anthropicWeatherTool() {
    return Tool.builder().name("get_weather").description("The current weather in a city.")
        .inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder()
                .putAdditionalProperty("city", com.anthropic.core.JsonValue.from(Map.of("type", "string"))).build())
            .required(List.of("city"))
            .build())
        .build();
  }

  @Override
  public synchronized void close() {
    openAi.values().forEach(OpenAIClient::close);
    anthropic.values().forEach(AnthropicClient::close);
  }
}

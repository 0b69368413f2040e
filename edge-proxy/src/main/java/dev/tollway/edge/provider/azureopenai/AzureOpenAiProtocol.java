package dev.tollway.edge.provider.azureopenai;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ModelInfo;
import dev.tollway.edge.provider.EmbeddingsApi;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.ModelListApi;
import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.openai.OpenAiChatCodec;
import dev.tollway.edge.provider.openai.OpenAiEmbeddings;
import dev.tollway.edge.provider.openai.OpenAiModelList;
import dev.tollway.edge.provider.openai.OpenAiResponsesCodec;
import dev.tollway.schemas.snapshot.Provider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Azure OpenAI: settings {@code endpoint} (required; the resource's host, any {@code https://} scheme and
 * trailing path stripped), {@code apiVersion} (default {@code v1}) and {@code deploymentName}. With
 * {@code apiVersion: v1} the request goes to {@code https://{endpoint}/openai/v1/chat/completions} with the
 * model in the body; with any other version to
 * {@code https://{endpoint}/openai/deployments/{deploymentName}/chat/completions?api-version={apiVersion}}.
 * The key goes as {@code api-key}. The codec is OpenAI's chat codec; a Responses client is served by Azure's
 * Responses API as it is ({@code /openai/v1/responses}, or {@code /openai/responses?api-version=} with a
 * version). Embeddings go to {@code /openai/v1/embeddings} (or the deployment's {@code /embeddings}); the
 * model list of a v1 endpoint is {@code GET /openai/v1/models}.
 */
public final class AzureOpenAiProtocol implements ProviderProtocol {

  public static final String DEFAULT_API_VERSION = "v1";

  /** {@code host} or {@code host:port}, after the scheme is stripped. */
  private static final Pattern ENDPOINT = Pattern.compile("([A-Za-z0-9.-]+)(?::(\\d{1,5}))?");

  /** Azure's list is OpenAI's shape. */
  private static final OpenAiModelList OPENAI_LIST = new OpenAiModelList("unused.invalid", "", "/models");

  private final AzureOpenAiChatCodec codec;
  private final OpenAiResponsesCodec responses;

  /** A protocol on the system clock with random ids. */
  public AzureOpenAiProtocol() {
    this(new AzureOpenAiChatCodec(new OpenAiChatCodec()), new OpenAiResponsesCodec());
  }

  /** A protocol whose Responses codec is on the system clock with random ids. */
  public AzureOpenAiProtocol(AzureOpenAiChatCodec codec) {
    this(codec, new OpenAiResponsesCodec());
  }

  public AzureOpenAiProtocol(AzureOpenAiChatCodec codec, OpenAiResponsesCodec responses) {
    this.codec = requireNonNull(codec, "codec");
    this.responses = requireNonNull(responses, "responses");
  }

  @Override
  public Provider.ProviderType type() {
    return Provider.ProviderType.azureopenai;
  }

  @Override
  public String otelName() {
    return "azure.ai.openai";
  }

  @Override
  public ChatCodec chatCodec() {
    return codec;
  }

  /**
   * @throws GatewayException {@code BACKEND_UNAVAILABLE} without an {@code endpoint}, with one that is not a
   *     host name, or without a {@code deploymentName} when {@code apiVersion} is not {@code v1}
   */
  @Override
  public UpstreamTarget chatTarget(Provider provider, @Nullable String model, boolean stream) {
    return target(provider, "/v1/chat/completions", "/chat/completions", true);
  }

  /** The Responses codec for a Responses client; the chat codec for any other. */
  @Override
  public ChatCodec chatCodec(ChatFormat clientFormat) {
    return clientFormat == ChatFormat.OPENAI_RESPONSES ? responses : codec;
  }

  @Override
  public UpstreamTarget chatTarget(Provider provider, ChatFormat clientFormat, @Nullable String model, boolean stream) {
    return clientFormat == ChatFormat.OPENAI_RESPONSES
        ? target(provider, "/v1/responses", "/responses", false)
        : chatTarget(provider, model, stream);
  }

  @Override
  public Optional<EmbeddingsApi> embeddings() {
    return Optional.of(new OpenAiEmbeddings((provider, model) -> target(provider, "/v1/embeddings", "/embeddings", true)));
  }

  /** The model list of a v1 endpoint; a versioned one serves its deployment only (listed as the model). */
  @Override
  public Optional<ModelListApi> modelList() {
    return Optional.of(new ModelListApi() {
      @Override
      public UpstreamTarget target(Provider provider) {
        if (!isV1(provider)) {
          throw new GatewayException(ErrorReason.NOT_IMPLEMENTED,
              "azureopenai: the model list is served by v1 endpoints only; this backend serves its deployment");
        }
        return AzureOpenAiProtocol.this.target(provider, "/v1/models", "/models", false);
      }

      @Override
      public List<ModelInfo> decode(JsonNode body) {
        return OPENAI_LIST.decode(body);
      }
    });
  }

  /** The deployment of a versioned (not v1) endpoint, which is the model it serves; else null. */
  public static @Nullable String deployment(Provider provider) {
    if (isV1(provider)) {
      return null;
    }
    String deployment = provider.settings().get("deploymentName");
    return deployment == null || deployment.isBlank() ? null : deployment.strip();
  }

  private static boolean isV1(Provider provider) {
    String apiVersion = provider.settings().getOrDefault("apiVersion", DEFAULT_API_VERSION).strip();
    return apiVersion.isEmpty() || apiVersion.equalsIgnoreCase(DEFAULT_API_VERSION);
  }

  /**
   * @param v1Rest the path after {@code /openai} on a v1 endpoint
   * @param deploymentRest the path after the deployment on a versioned endpoint
   * @param perDeployment whether a versioned endpoint serves the operation under the deployment (chat,
   *     embeddings) or beside the deployments (Responses)
   */
  private UpstreamTarget target(Provider provider, String v1Rest, String deploymentRest, boolean perDeployment) {
    Matcher endpoint = endpoint(provider);
    String apiVersion = provider.settings().getOrDefault("apiVersion", DEFAULT_API_VERSION).strip();
    String rest;
    if (isV1(provider)) {
      rest = v1Rest;
    } else if (!perDeployment) {
      rest = deploymentRest + "?api-version=" + encode(apiVersion);
    } else {
      String deployment = provider.settings().get("deploymentName");
      if (deployment == null || deployment.isBlank()) {
        throw new GatewayException(
            ErrorReason.BACKEND_UNAVAILABLE,
            "azureopenai: deploymentName is required for apiVersion " + apiVersion + " (only v1 takes the model from the body)");
      }
      rest = "/deployments/" + encode(deployment.strip()) + deploymentRest + "?api-version=" + encode(apiVersion);
    }
    UpstreamTarget target = v1Rest.equals("/v1/chat/completions")
        ? Endpoints.target(provider, endpoint.group(1), "/openai", rest)
        : Endpoints.beside(provider, endpoint.group(1), "/openai", "/v1/chat/completions", rest);
    boolean defaultHost = provider.host() == null || provider.host().isBlank();
    if (defaultHost && endpoint.group(2) != null && provider.port() == null) {
      return new UpstreamTarget(target.host(), Integer.parseInt(endpoint.group(2)), true, target.path());
    }
    return target;
  }

  @Override
  public Map<String, String> headers(@Nullable String credential) {
    return credential == null ? Map.of() : Map.of("api-key", credential);
  }

  private static Matcher endpoint(Provider provider) {
    String raw = provider.settings().get("endpoint");
    if (raw == null || raw.isBlank()) {
      throw new GatewayException(
          ErrorReason.BACKEND_UNAVAILABLE, "azureopenai: endpoint is required (expected the resource's host, such as my-resource.openai.azure.com)");
    }
    String value = raw.strip();
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://")) {
      value = value.substring("https://".length());
    } else if (lower.startsWith("http://")) {
      value = value.substring("http://".length());
    }
    int slash = value.indexOf('/');
    if (slash >= 0) {
      value = value.substring(0, slash);
    }
    Matcher matcher = ENDPOINT.matcher(value);
    if (!matcher.matches()) {
      throw new GatewayException(
          ErrorReason.BACKEND_UNAVAILABLE,
          "azureopenai: endpoint " + raw.strip() + " is not a host name (expected such as my-resource.openai.azure.com)");
    }
    return matcher;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

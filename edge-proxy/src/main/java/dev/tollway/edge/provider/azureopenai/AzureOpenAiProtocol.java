package dev.tollway.edge.provider.azureopenai;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.openai.OpenAiChatCodec;
import dev.tollway.schemas.snapshot.Provider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Azure OpenAI: settings {@code endpoint} (required; the resource's host, any {@code https://} scheme and
 * trailing path stripped), {@code apiVersion} (default {@code v1}) and {@code deploymentName}. With
 * {@code apiVersion: v1} the request goes to {@code https://{endpoint}/openai/v1/chat/completions} with the
 * model in the body; with any other version to
 * {@code https://{endpoint}/openai/deployments/{deploymentName}/chat/completions?api-version={apiVersion}}.
 * The key goes as {@code api-key}. The codec is OpenAI's chat codec.
 */
public final class AzureOpenAiProtocol implements ProviderProtocol {

  public static final String DEFAULT_API_VERSION = "v1";

  /** {@code host} or {@code host:port}, after the scheme is stripped. */
  private static final Pattern ENDPOINT = Pattern.compile("([A-Za-z0-9.-]+)(?::(\\d{1,5}))?");

  private final AzureOpenAiChatCodec codec;

  /** A protocol on the system clock with random ids. */
  public AzureOpenAiProtocol() {
    this(new AzureOpenAiChatCodec(new OpenAiChatCodec()));
  }

  public AzureOpenAiProtocol(AzureOpenAiChatCodec codec) {
    this.codec = requireNonNull(codec, "codec");
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
    Matcher endpoint = endpoint(provider);
    String apiVersion = provider.settings().getOrDefault("apiVersion", DEFAULT_API_VERSION).strip();
    String rest;
    if (apiVersion.isEmpty() || apiVersion.equalsIgnoreCase(DEFAULT_API_VERSION)) {
      rest = "/v1/chat/completions";
    } else {
      String deployment = provider.settings().get("deploymentName");
      if (deployment == null || deployment.isBlank()) {
        throw new GatewayException(
            ErrorReason.BACKEND_UNAVAILABLE,
            "azureopenai: deploymentName is required for apiVersion " + apiVersion + " (only v1 takes the model from the body)");
      }
      rest = "/deployments/" + encode(deployment.strip()) + "/chat/completions?api-version=" + encode(apiVersion);
    }
    UpstreamTarget target = Endpoints.target(provider, endpoint.group(1), "/openai", rest);
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

package dev.tollway.edge.provider.bedrock;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.provider.wire.ToolArguments;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * AWS credentials as the sealed credential of a Bedrock provider carries them: the JSON object
 * {@code {"accessKey": ..., "secretKey": ..., "sessionToken": ...}} (the keys of agentgateway's
 * {@code auth.aws.secretRef} Secret; {@code sessionToken} optional). Redacts itself in {@link #toString()}.
 */
record AwsCredentials(String accessKey, String secretKey, @Nullable String sessionToken) {

  AwsCredentials {
    requireNonNull(accessKey, "accessKey");
    requireNonNull(secretKey, "secretKey");
  }

  /** Whether a credential is a JSON object (AWS keys) rather than a Bedrock API key. */
  static boolean isJson(String credential) {
    return credential.stripLeading().startsWith("{");
  }

  /**
   * Reads the credential's JSON.
   *
   * @throws GatewayException {@code BACKEND_UNAVAILABLE} naming what is wrong (never a value)
   */
  static AwsCredentials parse(String credential) {
    JsonNode json = ToolArguments.parseValue(credential).orElse(null);
    if (json == null || !json.isObject()) {
      throw unusable("it is not a JSON object");
    }
    String accessKey = field(json, "accessKey");
    String secretKey = field(json, "secretKey");
    if (accessKey == null) {
      throw unusable("accessKey is missing or empty");
    }
    if (secretKey == null) {
      throw unusable("secretKey is missing or empty");
    }
    return new AwsCredentials(accessKey, secretKey, field(json, "sessionToken"));
  }

  AwsCredentialsIdentity identity() {
    return sessionToken == null
        ? AwsCredentialsIdentity.create(accessKey, secretKey)
        : AwsSessionCredentialsIdentity.create(accessKey, secretKey, sessionToken);
  }

  @Override
  public String toString() {
    return "AwsCredentials[accessKey=***, secretKey=***, sessionToken=" + (sessionToken == null ? "none" : "***") + "]";
  }

  private static @Nullable String field(JsonNode json, String name) {
    JsonNode value = json.get(name);
    return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue().strip() : null;
  }

  private static GatewayException unusable(String problem) {
    return new GatewayException(
        ErrorReason.BACKEND_UNAVAILABLE,
        "bedrock: the AWS credential is not usable: " + problem
            + " (expected a JSON object with accessKey, secretKey and optionally sessionToken)");
  }
}

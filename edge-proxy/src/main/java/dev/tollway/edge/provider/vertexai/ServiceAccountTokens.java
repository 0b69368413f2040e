package dev.tollway.edge.provider.vertexai;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.provider.wire.ToolArguments;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Access tokens from a service-account JSON key with Google's auth library: the key is checked for what the
 * library needs (a bad credential is {@code BACKEND_UNAVAILABLE} with a message naming the missing field,
 * never a value), then the
 * library signs a JWT assertion and exchanges it at the key's {@code token_uri} for a token with the
 * {@code cloud-platform} scope.
 */
final class ServiceAccountTokens implements TokenFetcher {

  static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

  @Override
  public AccessToken fetch(String credential) throws IOException {
    check(credential);
    GoogleCredentials credentials =
        ServiceAccountCredentials.fromStream(new ByteArrayInputStream(credential.getBytes(StandardCharsets.UTF_8)))
            .createScoped(List.of(SCOPE));
    com.google.auth.oauth2.AccessToken token = credentials.refreshAccessToken();
    if (token == null || token.getTokenValue() == null || token.getExpirationTime() == null) {
      throw new IOException("the token endpoint answered without an access token and its expiry");
    }
    return new AccessToken(token.getTokenValue(), token.getExpirationTime().toInstant());
  }

  private static void check(String credential) {
    JsonNode json = ToolArguments.parseValue(credential).orElse(null);
    if (json == null || !json.isObject()) {
      throw unusable("it is not a JSON object");
    }
    JsonNode type = json.get("type");
    if (type == null || !type.isTextual() || !type.textValue().equals("service_account")) {
      throw unusable("its type is " + (type == null || !type.isTextual() ? "missing" : "'" + type.textValue() + "'")
          + " (expected service_account)");
    }
    for (String field : List.of("client_email", "private_key")) {
      JsonNode value = json.get(field);
      if (value == null || !value.isTextual() || value.textValue().isBlank()) {
        throw unusable(field + " is missing or empty");
      }
    }
  }

  private static GatewayException unusable(String problem) {
    return new GatewayException(
        ErrorReason.BACKEND_UNAVAILABLE,
        "vertexai: the service-account credential is not usable: " + problem
            + " (expected the JSON key file of a Google service account)");
  }
}

package dev.tollway.local.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Google's OAuth 2.0 token endpoint for service accounts ({@code POST /token}, the {@code token_uri} of a
 * service-account key that points at the fake): a form with {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}
 * and an {@code assertion}, a JWT signed RS256 with the account's private key. The fake checks the signature
 * with the public key it was given for the JWT's {@code iss} ({@link FakeProviderServer#trustServiceAccount}),
 * the audience (Google's token URL), and that {@code iat} / {@code exp} make a token of at most an hour that
 * is valid now; then it issues an access token for the JWT's {@code scope}, good for 3599 seconds:
 * {@code {"access_token", "expires_in", "token_type": "Bearer"}}. Refusals are OAuth's
 * {@code {"error": "invalid_grant", "error_description"}} with 400.
 */
final class GoogleTokenEndpoint {

  static final String PATH = "/token";
  static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  static final String AUDIENCE = "https://oauth2.googleapis.com/token";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long CLOCK_SKEW_SECONDS = 300;
  private static final long MAX_LIFETIME_SECONDS = 3600;

  private GoogleTokenEndpoint() {}

  /** An answer of the endpoint: a token, or OAuth's error. */
  record Answer(int status, byte[] body) {}

  /** Exchanges a JWT-bearer grant for an access token. */
  static Answer exchange(Incoming request) {
    if (!request.method().equals("POST")) {
      return refused(405, "invalid_request", "the token endpoint takes POST");
    }
    Map<String, String> form = form(new String(request.body(), StandardCharsets.UTF_8));
    if (!GRANT_TYPE.equals(form.get("grant_type"))) {
      return refused(400, "unsupported_grant_type", "Invalid grant_type: " + form.getOrDefault("grant_type", ""));
    }
    String assertion = form.get("assertion");
    String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
    if (parts.length != 3) {
      return refused(400, "invalid_grant", "Invalid JWT: the assertion is not a signed JWT.");
    }
    JsonNode header;
    JsonNode claims;
    try {
      header = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
      claims = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (IOException | IllegalArgumentException e) {
      return refused(400, "invalid_grant", "Invalid JWT: the header or claims are not base64url JSON.");
    }
    if (!"RS256".equals(header.path("alg").asText())) {
      return refused(400, "invalid_grant", "Invalid JWT: algorithm " + header.path("alg").asText() + " (expected RS256).");
    }
    String issuer = claims.path("iss").asText("");
    Optional<PublicKey> key = request.trusted().serviceAccount(issuer);
    if (key.isEmpty()) {
      return refused(400, "invalid_grant", "Invalid grant: account not found");
    }
    if (!verifies(key.get(), parts)) {
      return refused(400, "invalid_grant", "Invalid JWT Signature.");
    }
    String audience = claims.path("aud").asText("");
    if (!audience.equals(AUDIENCE) && !audience.endsWith(PATH)) {
      return refused(400, "invalid_grant", "Invalid JWT: Failed audience check.");
    }
    long now = request.trusted().clock().instant().getEpochSecond();
    long issuedAt = claims.path("iat").asLong(Long.MIN_VALUE);
    long expires = claims.path("exp").asLong(Long.MIN_VALUE);
    if (issuedAt > now + CLOCK_SKEW_SECONDS || expires <= now - CLOCK_SKEW_SECONDS || expires <= issuedAt
        || expires - issuedAt > MAX_LIFETIME_SECONDS) {
      return refused(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
          + "reasonable timeframe. Check your iat and exp values in the JWT claim.");
    }
    String token = request.trusted().issueToken(issuer, claims.path("scope").asText(""));
    ObjectNode body = JsonNodeFactory.instance.objectNode()
        .put("access_token", token)
        .put("expires_in", TrustedCredentials.TOKEN_LIFETIME.toSeconds())
        .put("token_type", "Bearer");
    return new Answer(200, ProviderApi.json(body));
  }

  private static boolean verifies(PublicKey key, String[] parts) {
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initVerify(key);
      rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static Answer refused(int status, String error, String description) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("error", error).put("error_description", description);
    return new Answer(status, ProviderApi.json(body));
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        try {
          out.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          // a pair that is not form-encoded is left out, as a missing field
        }
      }
    }
    return out;
  }
}

package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * What the cloud fakes accept, as the real services would know it: AWS keys (Bedrock verifies each request's
 * SigV4 signature with the secret key of its access key), Google service accounts by their public key (the
 * token endpoint checks each JWT assertion's signature with it) and the access tokens it issued (Vertex AI
 * takes only those, until they expire). Thread-safe.
 */
final class TrustedCredentials {

  /** How long an issued access token lives, as Google's do. */
  static final Duration TOKEN_LIFETIME = Duration.ofSeconds(3599);

  /** An AWS key pair; {@code sessionToken} set for temporary credentials, which must then come with it. */
  record AwsKey(String accessKeyId, String secretAccessKey, @Nullable String sessionToken) {
    AwsKey {
      requireNonNull(accessKeyId, "accessKeyId");
      requireNonNull(secretAccessKey, "secretAccessKey");
    }

    @Override
    public String toString() {
      return "AwsKey[" + accessKeyId + ", secret ***" + (sessionToken == null ? "" : ", session ***") + "]";
    }
  }

  /** An access token the endpoint issued: to whom, for which scopes, until when. */
  record IssuedToken(String clientEmail, String scope, Instant expiresAt) {}

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentMap<String, AwsKey> awsKeys = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, PublicKey> serviceAccounts = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, IssuedToken> tokens = new ConcurrentHashMap<>();

  TrustedCredentials(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  Clock clock() {
    return clock;
  }

  void trustAwsKey(AwsKey key) {
    awsKeys.put(key.accessKeyId(), requireNonNull(key, "key"));
  }

  Optional<AwsKey> awsKey(String accessKeyId) {
    return Optional.ofNullable(awsKeys.get(accessKeyId));
  }

  void trustServiceAccount(String clientEmail, PublicKey publicKey) {
    serviceAccounts.put(requireNonNull(clientEmail, "clientEmail"), requireNonNull(publicKey, "publicKey"));
  }

  Optional<PublicKey> serviceAccount(String clientEmail) {
    return Optional.ofNullable(serviceAccounts.get(clientEmail));
  }

  /** Issues a new access token for a service account. */
  String issueToken(String clientEmail, String scope) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String token = "ya29.fake-" + HexFormat.of().formatHex(bytes);
    tokens.put(token, new IssuedToken(clientEmail, scope, clock.instant().plus(TOKEN_LIFETIME)));
    return token;
  }

  /** The token if this endpoint issued it and it has not expired. */
  Optional<IssuedToken> validToken(String token) {
    IssuedToken issued = tokens.get(token);
    if (issued == null || !clock.instant().isBefore(issued.expiresAt())) {
      return Optional.empty();
    }
    return Optional.of(issued);
  }
}

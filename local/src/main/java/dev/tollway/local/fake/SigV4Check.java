package dev.tollway.local.fake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Verifies an AWS Signature Version 4 the way AWS does, with the AWS SDK's own signer on the receiving side:
 * the access key of the {@code Authorization} header names a trusted key; the request as received — method,
 * path exactly as sent, query, the {@code Host} header and every other header the signature lists, the body —
 * is signed again with that key's secret, the scope's region and service, at the request's
 * {@code X-Amz-Date}; the two {@code Authorization} headers must be equal. The date must be within 15 minutes
 * of the fake's clock, the service {@code bedrock}, and temporary credentials must come with their session
 * token. Failures are Bedrock's 403s: {@code MissingAuthenticationTokenException},
 * {@code UnrecognizedClientException}, {@code InvalidSignatureException}.
 */
final class SigV4Check {

  static final String SERVICE = "bedrock";

  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request,\\s*"
          + "SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);
  /** Headers the signer adds itself, from the identity, the clock and the body. */
  private static final Set<String> SIGNER_ADDED = Set.of("host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256");

  private SigV4Check() {}

  /** What a verified signature said. */
  record Signed(String accessKeyId, String region) {}

  /**
   * Verifies the request's signature.
   *
   * @throws ApiError.Refused with Bedrock's 403 when it is missing, unknown or does not match
   */
  static Signed verify(Incoming request) {
    String authorization = request.headers().getFirst("Authorization");
    if (authorization == null || authorization.isBlank()) {
      throw refused("MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    Matcher parts = AUTHORIZATION.matcher(authorization.strip());
    if (!parts.matches()) {
      throw refused("IncompleteSignatureException", "Authorization header requires 'Credential', 'Signature' and "
          + "'SignedHeaders' parameters of the AWS4-HMAC-SHA256 algorithm.");
    }
    String accessKeyId = parts.group(1);
    String region = parts.group(3);
    String service = parts.group(4);
    List<String> signedHeaders = List.of(parts.group(5).split(";"));
    Optional<TrustedCredentials.AwsKey> key = request.trusted().awsKey(accessKeyId);
    if (key.isEmpty()) {
      throw refused("UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    String sessionToken = request.headers().getFirst("X-Amz-Security-Token");
    String expectedToken = key.get().sessionToken();
    if (expectedToken != null && !expectedToken.equals(sessionToken)) {
      throw refused("UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    if (!service.equals(SERVICE)) {
      throw refused("InvalidSignatureException", "Credential should be scoped to correct service: '" + SERVICE + "'.");
    }
    if (!signedHeaders.contains("host")) {
      throw refused("InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    }
    Instant signedAt = amzDate(request.headers().getFirst("X-Amz-Date"));
    if (!parts.group(2).equals(AMZ_DATE.format(signedAt.atOffset(ZoneOffset.UTC)).substring(0, 8))) {
      throw refused("InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
          + "version of date from HTTP: '" + parts.group(2) + "' != '"
          + AMZ_DATE.format(signedAt.atOffset(ZoneOffset.UTC)).substring(0, 8) + "'");
    }
    Instant now = request.trusted().clock().instant();
    if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
      throw refused("InvalidSignatureException", "Signature expired: " + AMZ_DATE.format(signedAt.atOffset(ZoneOffset.UTC))
          + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW).atOffset(ZoneOffset.UTC)) + " ("
          + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " - 15 min.)");
    }
    String expected = expectedAuthorization(request, key.get(), sessionToken, region, signedHeaders, signedAt);
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        authorization.strip().getBytes(StandardCharsets.US_ASCII))) {
      throw refused("InvalidSignatureException", "The request signature we calculated does not match the signature you "
          + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for "
          + "details.");
    }
    return new Signed(accessKeyId, region);
  }

  private static String expectedAuthorization(
      Incoming request, TrustedCredentials.AwsKey key, @Nullable String sessionToken, String region,
      List<String> signedHeaders, Instant signedAt) {
    String host = request.headers().getFirst("Host");
    if (host == null || host.isBlank()) {
      throw refused("InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    }
    SdkHttpRequest.Builder rebuilt = SdkHttpRequest.builder()
        .method(SdkHttpMethod.fromValue(request.method()))
        .protocol("http")
        .encodedPath(request.rawPath());
    int colon = host.lastIndexOf(':');
    if (colon > 0 && !host.endsWith("]")) {
      rebuilt.host(host.substring(0, colon)).port(Integer.parseInt(host.substring(colon + 1)));
    } else {
      rebuilt.host(host).port(80);
    }
    if (!request.query().isEmpty()) {
      for (String pair : request.query().split("&")) {
        if (!pair.isEmpty()) {
          int eq = pair.indexOf('=');
          rebuilt.appendRawQueryParameter(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
      }
    }
    for (String name : signedHeaders) {
      if (!SIGNER_ADDED.contains(name)) {
        String value = request.headers().getFirst(name);
        if (value == null) {
          throw refused("InvalidSignatureException", "The request signature we calculated does not match the signature "
              + "you provided: signed header " + name + " is missing.");
        }
        rebuilt.putHeader(name, value);
      }
    }
    AwsCredentialsIdentity identity = sessionToken == null
        ? AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey())
        : AwsSessionCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey(), sessionToken);
    byte[] body = request.body().clone();
    SignedRequest signed = SIGNER.sign(r -> r.identity(identity)
        .request(rebuilt.build())
        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
    return signed.request().firstMatchingHeader("Authorization").orElse("");
  }

  private static Instant amzDate(@Nullable String value) {
    if (value == null) {
      throw refused("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' "
          + "or a 'Date' header.");
    }
    try {
      return LocalDateTime.parse(value.strip(), AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw refused("IncompleteSignatureException", "X-Amz-Date " + value + " is not of the form YYYYMMDD'T'HHMMSS'Z'.");
    }
  }

  private static String decode(String raw) {
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }

  private static ApiError.Refused refused(String type, String message) {
    return new ApiError.Refused(new ApiError(403, type, message));
  }
}

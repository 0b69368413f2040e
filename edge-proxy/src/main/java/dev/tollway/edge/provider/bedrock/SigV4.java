package dev.tollway.edge.provider.bedrock;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.provider.UpstreamTarget;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Signs a request with AWS Signature Version 4, using the AWS SDK's own {@link AwsV4HttpSigner} (never a
 * hand-rolled signer). What is signed is the method, the path and query exactly as sent (canonicalized the
 * SDK's way for non-S3 services: each segment encoded again), the {@code Host} header the HTTP client will
 * send ({@code host}, plus {@code :port} when not the scheme's default), the SHA-256 of the body, and the
 * {@code X-Amz-Date} (and {@code X-Amz-Security-Token}) headers the signer adds.
 */
final class SigV4 {

  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  private SigV4() {}

  /**
   * The headers to add to the request: {@code Authorization}, {@code X-Amz-Date},
   * {@code x-amz-content-sha256} and, with a session token, {@code X-Amz-Security-Token}. {@code Host} is
   * signed but not returned: the HTTP client sets it from the target.
   */
  static Map<String, String> sign(
      String method, UpstreamTarget target, byte[] body, AwsCredentials credentials, String region, String service, Clock clock) {
    requireNonNull(credentials, "credentials");
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .protocol(target.tls() ? "https" : "http")
            .host(target.host())
            .port(target.port());
    String path = target.path();
    int query = path.indexOf('?');
    request.encodedPath(query < 0 ? path : path.substring(0, query));
    if (query >= 0) {
      for (String pair : path.substring(query + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        request.appendRawQueryParameter(name, value);
      }
    }
    byte[] payload = body.clone();
    SignedRequest signed =
        SIGNER.sign(
            r -> r.identity(credentials.identity())
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(payload))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Host") && !header.getValue().isEmpty()) {
        headers.put(header.getKey(), header.getValue().get(0));
      }
    }
    return headers;
  }

  private static String decode(String raw) {
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }
}

package dev.tollway.edge.provider.bedrock;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature Version 4 computed step by step as AWS documents it, to check the signatures the AWS SDK's signer
 * makes for Tollway — an independent verifier, itself checked against AWS's published test-suite vectors.
 * Test code only: production signing is the SDK's.
 */
final class SigV4Reference {

  private SigV4Reference() {}

  /**
   * The {@code Authorization} header for a request.
   *
   * @param path the path as sent (already percent-encoded); for services other than S3 each segment is
   *     encoded once more in the canonical request
   * @param headers the headers to sign, by name (any case)
   */
  static String authorization(
      String method, String path, String query, Map<String, String> headers, byte[] body,
      String accessKey, String secretKey, String region, String service, String amzDate) {
    TreeMap<String, String> canonical = new TreeMap<>();
    headers.forEach((name, value) -> canonical.put(name.toLowerCase(Locale.ROOT), value.strip().replaceAll("\\s+", " ")));
    String signedHeaders = String.join(";", canonical.keySet());
    String canonicalHeaders = canonical.entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue() + "\n")
        .collect(Collectors.joining());
    String canonicalRequest = String.join("\n",
        method, canonicalUri(path), query, canonicalHeaders, signedHeaders, hex(sha256(body)));
    String date = amzDate.substring(0, 8);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = String.join("\n",
        "AWS4-HMAC-SHA256", amzDate, scope, hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, stringToSign));
    return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ", SignedHeaders=" + signedHeaders
        + ", Signature=" + signature;
  }

  static String sha256Hex(byte[] body) {
    return hex(sha256(body));
  }

  private static String canonicalUri(String path) {
    return java.util.Arrays.stream(path.split("/", -1)).map(SigV4Reference::uriEncode).collect(Collectors.joining("/"));
  }

  private static String uriEncode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return out.toString();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}

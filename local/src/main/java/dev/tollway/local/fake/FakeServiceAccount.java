package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A throwaway Google service account for tests: a fresh 2048-bit RSA key pair, and the JSON key file Google
 * would hand out for it, its {@code token_uri} pointing where the test says (the fake's token endpoint). Give
 * the fake its public key with {@link FakeProviderServer#trustServiceAccount}. Redacts its key in
 * {@link #toString()}.
 */
public record FakeServiceAccount(String clientEmail, KeyPair keys) {

  public FakeServiceAccount {
    requireNonNull(clientEmail, "clientEmail");
    requireNonNull(keys, "keys");
  }

  /** A new account with a new key pair. */
  public static FakeServiceAccount generate(String clientEmail) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new FakeServiceAccount(clientEmail, generator.generateKeyPair());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is missing from this JVM", e);
    }
  }

  public PublicKey publicKey() {
    return keys.getPublic();
  }

  /** The service-account JSON key file, as Google's console downloads it, with this {@code token_uri}. */
  public String keyFileJson(String projectId, String tokenUri) {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    ObjectNode key = JsonNodeFactory.instance.objectNode();
    key.put("type", "service_account");
    key.put("project_id", projectId);
    key.put("private_key_id", HexFormat.of().formatHex(keys.getPublic().getEncoded(), 0, 20));
    key.put("private_key", pem);
    key.put("client_email", clientEmail);
    key.put("client_id", "100000000000000000001");
    key.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
    key.put("token_uri", tokenUri);
    key.put("universe_domain", "googleapis.com");
    return key.toString();
  }

  @Override
  public String toString() {
    return "FakeServiceAccount[" + clientEmail + ", key ***]";
  }
}

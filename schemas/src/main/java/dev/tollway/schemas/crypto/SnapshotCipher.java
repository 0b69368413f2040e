package dev.tollway.schemas.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.snapshot.SealedValue;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret values (provider keys, TLS private keys) for the snapshot with AES-256-GCM under a key that
 * only config-service and the proxies hold.
 *
 * <p>Sealing is deterministic, because the snapshot must be: the nonce is an HMAC of the context and the
 * plaintext under a key derived from the master key (a synthetic nonce). Two different plaintexts therefore
 * never share a nonce; the same plaintext in the same context seals to the same bytes, which reveals only
 * that the value did not change. The context (the Gateway key) is bound as associated data, so a value sealed
 * for one Gateway does not open in another's snapshot.
 */
public final class SnapshotCipher {

  /** Length of the master key in bytes. */
  public static final int KEY_BYTES = 32;

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final String keyId;
  private final SecretKeySpec encryptionKey;
  private final SecretKeySpec nonceKey;
  private final SecretKeySpec digestKey;

  private SnapshotCipher(byte[] masterKey) {
    if (masterKey.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "snapshot key: " + masterKey.length + " bytes (expected: " + KEY_BYTES + " bytes, base64-encoded)");
    }
    this.encryptionKey = new SecretKeySpec(derive(masterKey, "tollway/snapshot/encryption"), "AES");
    this.nonceKey = new SecretKeySpec(derive(masterKey, "tollway/snapshot/nonce"), "HmacSHA256");
    this.digestKey = new SecretKeySpec(derive(masterKey, "tollway/snapshot/api-key-digest"), "HmacSHA256");
    this.keyId = HexFormat.of().formatHex(Arrays.copyOf(derive(masterKey, "tollway/snapshot/key-id"), 6));
  }

  /** A cipher from a base64-encoded 32-byte key, as stored in the snapshot-key Secret. */
  public static SnapshotCipher fromBase64(String base64Key) {
    requireNonNull(base64Key, "base64Key");
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64Key.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("snapshot key: not base64 (expected: 32 random bytes, base64-encoded)");
    }
    return new SnapshotCipher(key);
  }

  /** A cipher with a fresh random key, for a single process that both seals and opens (local mode). */
  public static SnapshotCipher generate() {
    return new SnapshotCipher(newKey());
  }

  /** 32 fresh random bytes, suitable as a snapshot key. */
  public static byte[] newKey() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /** A short public identifier of the key, recorded in every sealed value. */
  public String keyId() {
    return keyId;
  }

  /** Seals {@code plaintext} for {@code context} (the Gateway key). */
  public SealedValue seal(String context, String plaintext) {
    requireNonNull(context, "context");
    requireNonNull(plaintext, "plaintext");
    byte[] plain = plaintext.getBytes(UTF_8);
    byte[] nonce = syntheticNonce(context, plain);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(UTF_8));
      byte[] sealed = cipher.doFinal(plain);
      Base64.Encoder b64 = Base64.getEncoder();
      return new SealedValue(keyId, b64.encodeToString(nonce), b64.encodeToString(sealed));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /**
   * Opens a value sealed for {@code context}.
   *
   * @throws IllegalArgumentException when the value was sealed with another key or for another context, or
   *     was altered
   */
  public String open(String context, SealedValue value) {
    requireNonNull(context, "context");
    requireNonNull(value, "value");
    if (!keyId.equals(value.keyId())) {
      throw new IllegalArgumentException(
          "sealed with snapshot key " + value.keyId() + ", but this process holds key " + keyId);
    }
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, b64.decode(value.nonce())));
      cipher.updateAAD(context.getBytes(UTF_8));
      return new String(cipher.doFinal(b64.decode(value.ciphertext())), UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("sealed value does not open for " + context + " (altered or misplaced)");
    }
  }

  /**
   * The keyed digest (HMAC-SHA256, hex) of a client API key: what a snapshot carries instead of the key. Without
   * the snapshot key, a digest read from Kafka or disk cannot be checked against guessed keys.
   */
  public String digest(String apiKey) {
    requireNonNull(apiKey, "apiKey");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(digestKey);
      return HexFormat.of().formatHex(mac.doFinal(apiKey.getBytes(UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private byte[] syntheticNonce(String context, byte[] plain) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(nonceKey);
      mac.update(context.getBytes(UTF_8));
      mac.update((byte) 0);
      return Arrays.copyOf(mac.doFinal(plain), NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private static byte[] derive(byte[] masterKey, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(masterKey, "HmacSHA256"));
      return mac.doFinal(label.getBytes(UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "SnapshotCipher[keyId=" + keyId + "]";
  }
}

package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

/**
 * A secret value encrypted with AES-256-GCM under the snapshot key that only config-service and the proxies
 * hold. See {@code dev.tollway.schemas.crypto.SnapshotCipher}.
 *
 * @param keyId identifies the key that sealed the value, so keys can be rotated
 * @param nonce the 12-byte GCM nonce, base64
 * @param ciphertext ciphertext followed by the 16-byte tag, base64
 */
public record SealedValue(String keyId, String nonce, String ciphertext) {

  public SealedValue {
    requireNonNull(keyId, "keyId");
    requireNonNull(nonce, "nonce");
    requireNonNull(ciphertext, "ciphertext");
  }

  @Override
  public String toString() {
    return "SealedValue[keyId=" + keyId + ", <sealed>]";
  }
}

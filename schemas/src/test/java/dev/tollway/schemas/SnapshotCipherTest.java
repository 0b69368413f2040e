package dev.tollway.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.snapshot.SealedValue;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SnapshotCipherTest {

  private final SnapshotCipher cipher = SnapshotCipher.fromBase64(Base64.getEncoder().encodeToString(new byte[32]));

  @Test
  void shouldOpenWhatItSealed() {
    SealedValue sealed = cipher.seal("default/agentgateway", "sk-secret");

    assertThat(cipher.open("default/agentgateway", sealed)).isEqualTo("sk-secret");
    assertThat(sealed.ciphertext()).doesNotContain("sk-secret");
    assertThat(sealed.toString()).doesNotContain(sealed.ciphertext());
  }

  @Test
  void shouldSealDeterministicallySoSnapshotsAreStable() {
    assertThat(cipher.seal("default/gw", "sk-1")).isEqualTo(cipher.seal("default/gw", "sk-1"));
    assertThat(cipher.seal("default/gw", "sk-1").nonce()).isNotEqualTo(cipher.seal("default/gw", "sk-2").nonce());
  }

  @Test
  void shouldRefuseAValueSealedForAnotherGateway() {
    SealedValue sealed = cipher.seal("default/a", "sk-1");

    assertThatThrownBy(() -> cipher.open("default/b", sealed)).hasMessageContaining("does not open for default/b");
  }

  @Test
  void shouldRefuseAValueSealedWithAnotherKey() {
    SealedValue sealed = SnapshotCipher.generate().seal("default/a", "sk-1");

    assertThatThrownBy(() -> cipher.open("default/a", sealed)).hasMessageContaining("sealed with snapshot key");
  }

  @Test
  void shouldRefuseAnAlteredValue() {
    SealedValue sealed = cipher.seal("default/a", "sk-1");
    byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
    bytes[0] ^= 1;
    SealedValue altered = new SealedValue(sealed.keyId(), sealed.nonce(), Base64.getEncoder().encodeToString(bytes));

    assertThatThrownBy(() -> cipher.open("default/a", altered)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void apiKeyDigestsShouldBeStablePerKeyAndDependOnTheSnapshotKey() {
    assertThat(cipher.digest("sk-client-1")).isEqualTo(cipher.digest("sk-client-1")).hasSize(64);
    assertThat(cipher.digest("sk-client-1")).isNotEqualTo(cipher.digest("sk-client-2"));
    assertThat(SnapshotCipher.generate().digest("sk-client-1")).isNotEqualTo(cipher.digest("sk-client-1"));
  }

  @Test
  void shouldNameTheProblemWithABadKey() {
    assertThatThrownBy(() -> SnapshotCipher.fromBase64("c2hvcnQ="))
        .hasMessage("snapshot key: 5 bytes (expected: 32 bytes, base64-encoded)");
    assertThatThrownBy(() -> SnapshotCipher.fromBase64("not base64!"))
        .hasMessageContaining("not base64");
  }
}

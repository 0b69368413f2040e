package dev.tollway.config.snapshot;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tollway.config.model.Resources;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** Reads Secret values from {@code stringData} (as written in YAML) or {@code data} (base64). */
final class Secrets {

  private Secrets() {}

  /**
   * The value under {@code key}; {@code stringData} wins over {@code data}, as the API server merges them.
   *
   * @throws IllegalArgumentException when the {@code data} value is not valid base64 (the message names the
   *     Secret and key, never the value)
   */
  static Optional<String> value(Secret secret, String key) {
    Map<String, String> stringData = secret.getStringData();
    if (stringData != null && stringData.get(key) != null) {
      return Optional.of(stringData.get(key));
    }
    Map<String, String> data = secret.getData();
    if (data != null && data.get(key) != null) {
      try {
        return Optional.of(new String(Base64.getMimeDecoder().decode(data.get(key)), UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Secret " + Resources.key(secret) + ": data." + key + " is not valid base64");
      }
    }
    return Optional.empty();
  }
}

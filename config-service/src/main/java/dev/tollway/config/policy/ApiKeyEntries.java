package dev.tollway.config.policy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.config.model.Resources;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.ApiKeySet.ClientApiKey;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The client API keys of one Secret, as agentgateway reads them: every entry is one key, either the key
 * itself or {@code {"key": "...", "metadata": {...}}}. Each key leaves as a {@link ClientApiKey} carrying
 * only its keyed digest; the key itself never leaves this class, and no message names it.
 *
 * <p>The key's id is {@code <namespace>/<secret>/<entry>}, so it stays the same when the key is rotated;
 * its name is {@code metadata.name} or the entry's name; {@code metadata.team} and {@code metadata.user}
 * feed metering; every other metadata field becomes a tag (non-string values as JSON text).
 */
public final class ApiKeyEntries {

  private static final String FORMAT = "a key, or {\"key\": \"...\", \"metadata\": {...}}";

  private ApiKeyEntries() {}

  /**
   * What a Secret holds.
   *
   * @param keys the valid keys, by entry name
   * @param problems one message per entry that is not a key (naming the Secret and the entry, never the value)
   */
  public record Result(List<ClientApiKey> keys, List<String> problems) {
    public Result {
      keys = List.copyOf(keys);
      problems = List.copyOf(problems);
    }
  }

  /** Reads every entry of {@code stringData} and {@code data} ({@code stringData} wins for a name in both). */
  public static Result read(Secret secret, SnapshotCipher cipher) {
    requireNonNull(secret, "secret");
    requireNonNull(cipher, "cipher");
    String secretKey = Resources.key(secret);
    Map<String, String> stringData = secret.getStringData() == null ? Map.of() : secret.getStringData();
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    SortedSet<String> names = new TreeSet<>(stringData.keySet());
    names.addAll(data.keySet());
    List<ClientApiKey> keys = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String name : names) {
      try {
        String value = stringData.get(name) != null ? stringData.get(name) : decode(data.get(name));
        keys.add(key(secretKey + "/" + name, name, value, cipher));
      } catch (NotAKey e) {
        problems.add("Secret " + secretKey + " entry " + name + ": " + e.getMessage());
      }
    }
    return new Result(keys, problems);
  }

  private static @Nullable String decode(@Nullable String base64) {
    if (base64 == null) {
      return null;
    }
    try {
      return new String(Base64.getMimeDecoder().decode(base64), UTF_8);
    } catch (IllegalArgumentException e) {
      throw new NotAKey("data is not valid base64");
    }
  }

  private static ClientApiKey key(String id, String entry, @Nullable String value, SnapshotCipher cipher) {
    String trimmed = value == null ? "" : value.strip();
    if (trimmed.isEmpty()) {
      throw new NotAKey("empty (expected: " + FORMAT + ")");
    }
    if (!trimmed.startsWith("{")) {
      return new ClientApiKey(id, entry, cipher.digest(trimmed), null, null, new TreeMap<>());
    }
    JsonNode json;
    try {
      json = Json.mapper().readTree(trimmed);
    } catch (IOException | RuntimeException e) {
      // The parser's message may quote the text: withheld.
      throw new NotAKey("starts with { but is not valid JSON (expected: " + FORMAT + ")");
    }
    if (json == null || !json.isObject()) {
      throw new NotAKey("not a JSON object (expected: " + FORMAT + ")");
    }
    for (Iterator<String> fields = json.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (field.equals("keyHash")) {
        throw new NotAKey("keyHash is not supported by Tollway (expected: key)");
      }
      if (!field.equals("key") && !field.equals("metadata")) {
        throw new NotAKey("unknown field \"" + field + "\" (expected: " + FORMAT + ")");
      }
    }
    JsonNode key = json.get("key");
    if (key == null || !key.isTextual() || key.textValue().isBlank()) {
      throw new NotAKey("\"key\" is missing or not a non-empty string (expected: " + FORMAT + ")");
    }
    JsonNode metadata = json.get("metadata");
    if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
      throw new NotAKey("\"metadata\" is not an object (expected: " + FORMAT + ")");
    }
    String name = entry;
    String team = null;
    String user = null;
    SortedMap<String, String> tags = new TreeMap<>();
    if (metadata != null && metadata.isObject()) {
      for (Map.Entry<String, JsonNode> field : metadata.properties()) {
        String text = field.getValue().isTextual() ? field.getValue().textValue() : field.getValue().toString();
        if (field.getValue().isNull()) {
          continue;
        }
        switch (field.getKey()) {
          case "name" -> name = text;
          case "team" -> team = text;
          case "user" -> user = text;
          default -> tags.put(field.getKey(), text);
        }
      }
    }
    return new ClientApiKey(id, name, cipher.digest(key.textValue().strip()), team, user, tags);
  }

  /** An entry that is not a key; the message never quotes the value. */
  private static final class NotAKey extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotAKey(String message) {
      super(message, null, false, false);
    }
  }
}

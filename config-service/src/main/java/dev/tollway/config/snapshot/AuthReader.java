package dev.tollway.config.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.config.model.InvalidSpecException;
import dev.tollway.config.model.SpecReader;
import dev.tollway.config.snapshot.BackendDraft.AuthDraft;
import dev.tollway.config.status.Reasons;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code spec.policies.auth} into the credential the proxy sends, still in plaintext (it is sealed per
 * Gateway later):
 *
 * <ul>
 *   <li>{@code key}: inline; {@code secretRef}: the Secret's {@code Authorization} entry (or {@code key}), a
 *       {@code Bearer } prefix stripped — OpenAI, Anthropic, Gemini, Azure OpenAI ({@code api-key}) and a
 *       Bedrock API key alike;
 *   <li>{@code aws.secretRef}: the Secret's {@code accessKey}, {@code secretKey} and optional
 *       {@code sessionToken}, as the JSON object {@code {"accessKey", "secretKey", "sessionToken"}} the Bedrock
 *       protocol signs with (SigV4) — for {@code bedrock} providers only;
 *   <li>{@code gcp.secretRef} (Tollway's own field; agentgateway's {@code gcp} uses the pod's identity): the
 *       service-account JSON key under {@code credentials.json} (or {@code key}), checked to be one — for
 *       {@code vertexai} providers only; {@code type} may only be {@code AccessToken};
 *   <li>{@code passthrough}: the client's own credential.
 * </ul>
 *
 * A missing Secret or entry is {@code SecretNotFound} / {@code InvalidSecret}; what Tollway cannot honour
 * ({@code azure}, {@code gcp} without a Secret, IdTokens, role assumption) is refused by name.
 */
final class AuthReader {

  private static final String DEFAULT_SECRET_KEY = "Authorization";
  private static final String DEFAULT_GCP_KEY = "credentials.json";

  private final Index index;

  AuthReader(Index index) {
    this.index = index;
  }

  AuthDraft read(SpecReader auth, String namespace) {
    auth.requireOnly(Set.of("key", "secretRef", "passthrough", "aws", "gcp"));
    String mode = auth.exactlyOneOf(List.of("key", "secretRef", "passthrough", "aws", "gcp"));
    return switch (mode) {
      case "key" -> {
        try {
          yield AuthDraft.key(auth.requireString("key").strip());
        } catch (InvalidSpecException e) {
          throw InvalidSpecException.invalid(auth.path("key"), "not a non-empty string (value withheld)");
        }
      }
      case "passthrough" -> {
        auth.requireObject("passthrough");
        yield AuthDraft.PASSTHROUGH;
      }
      case "aws" -> aws(auth.requireObject("aws"), namespace);
      case "gcp" -> gcp(auth.requireObject("gcp"), namespace);
      default -> {
        SpecReader ref = auth.requireObject("secretRef");
        ref.requireOnly(Set.of("name", "key"));
        String secretName = ref.requireString("name");
        String dataKey = ref.string("key").filter(s -> !s.isBlank()).orElse(DEFAULT_SECRET_KEY);
        Secret secret = secret(namespace, secretName, ref.path("name"));
        String value = required(secret, namespace + "/" + secretName, dataKey);
        if (dataKey.equals(DEFAULT_SECRET_KEY) && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
          value = value.substring(7).strip();
          if (value.isEmpty()) {
            throw new SecretProblem(Reasons.INVALID_SECRET, "Secret " + namespace + "/" + secretName + ": " + dataKey + " is empty");
          }
        }
        yield AuthDraft.key(value);
      }
    };
  }

  private AuthDraft aws(SpecReader aws, String namespace) {
    aws.requireOnly(Set.of("secretRef"));
    SpecReader ref = aws.requireObject("secretRef");
    ref.requireOnly(Set.of("name"));
    String secretName = ref.requireString("name");
    String secretKey = namespace + "/" + secretName;
    Secret secret = secret(namespace, secretName, ref.path("name"));
    ObjectNode credentials = Json.mapper().createObjectNode();
    credentials.put("accessKey", required(secret, secretKey, "accessKey"));
    credentials.put("secretKey", required(secret, secretKey, "secretKey"));
    Optional<String> session = optional(secret, secretKey, "sessionToken");
    session.ifPresent(token -> credentials.put("sessionToken", token));
    return AuthDraft.scoped(credentials.toString(), ProviderType.bedrock, aws.path());
  }

  private AuthDraft gcp(SpecReader gcp, String namespace) {
    gcp.requireOnly(Set.of("secretRef", "type"));
    gcp.string("type").filter(type -> !type.equals("AccessToken")).ifPresent(type -> {
      throw InvalidSpecException.unsupported(gcp.path("type"), "\"" + type + "\" (Tollway fetches AccessTokens only)");
    });
    if (!gcp.has("secretRef")) {
      throw InvalidSpecException.unsupported(gcp.path(),
          "the pod's own Google identity is not supported by Tollway yet (expected: secretRef to a service-account key)");
    }
    SpecReader ref = gcp.requireObject("secretRef");
    ref.requireOnly(Set.of("name", "key"));
    String secretName = ref.requireString("name");
    String dataKey = ref.string("key").filter(s -> !s.isBlank()).orElse(DEFAULT_GCP_KEY);
    String secretKey = namespace + "/" + secretName;
    String value = required(secret(namespace, secretName, ref.path("name")), secretKey, dataKey);
    checkServiceAccount(value, secretKey, dataKey);
    return AuthDraft.scoped(value, ProviderType.vertexai, gcp.path());
  }

  /** A service-account JSON key: an object of type {@code service_account} with a client email and a private key. */
  private static void checkServiceAccount(String value, String secretKey, String dataKey) {
    JsonNode json;
    try {
      json = Json.mapper().readTree(value);
    } catch (java.io.IOException | RuntimeException e) {
      json = null;
    }
    boolean valid = json != null && json.isObject()
        && "service_account".equals(json.path("type").asText())
        && json.path("client_email").isTextual() && !json.path("client_email").asText().isBlank()
        && json.path("private_key").isTextual() && !json.path("private_key").asText().isBlank();
    if (!valid) {
      throw new SecretProblem(Reasons.INVALID_SECRET, "Secret " + secretKey + ": " + dataKey
          + " is not a service-account key (expected JSON with type service_account, client_email, private_key)");
    }
  }

  private Secret secret(String namespace, String name, String refPath) {
    return index.secret(namespace, name).orElseThrow(() -> new SecretProblem(Reasons.SECRET_NOT_FOUND,
        "Secret " + namespace + "/" + name + " not found (" + refPath + ")"));
  }

  private static String required(Secret secret, String secretKey, String dataKey) {
    return optional(secret, secretKey, dataKey).orElseThrow(() -> new SecretProblem(Reasons.INVALID_SECRET,
        "Secret " + secretKey + " has no key " + dataKey));
  }

  /** A non-empty entry, stripped; an entry that is present but empty is {@code InvalidSecret}. */
  private static Optional<String> optional(Secret secret, String secretKey, String dataKey) {
    Optional<String> value;
    try {
      value = Secrets.value(secret, dataKey);
    } catch (IllegalArgumentException e) {
      throw new SecretProblem(Reasons.INVALID_SECRET, e.getMessage());
    }
    if (value.isEmpty()) {
      return value;
    }
    String stripped = value.get().strip();
    if (stripped.isEmpty()) {
      throw new SecretProblem(Reasons.INVALID_SECRET, "Secret " + secretKey + ": " + dataKey + " is empty");
    }
    return Optional.of(stripped);
  }
}

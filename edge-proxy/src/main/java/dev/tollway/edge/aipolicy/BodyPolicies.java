package dev.tollway.edge.aipolicy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.schemas.snapshot.AiBackend.AiPolicy;
import dev.tollway.schemas.snapshot.AiBackend.FieldValue;

/**
 * {@code spec.policies.ai.overrides} and {@code defaults} on a client's request body, in the client's API and
 * before it is decoded, as agentgateway applies them: every override is set whatever the client sent, then
 * every default is set where the field is still missing (so a default never undoes an override). Fields
 * are top-level body fields ({@code temperature}, {@code max_tokens}); values are any JSON.
 */
public final class BodyPolicies {

  private BodyPolicies() {}

  /** Applies the policy's overrides, then its defaults, to {@code body} in place. */
  public static void apply(AiPolicy policy, ObjectNode body) {
    requireNonNull(policy, "policy");
    requireNonNull(body, "body");
    for (FieldValue override : policy.overrides()) {
      body.set(override.field(), override.value().deepCopy());
    }
    for (FieldValue fallback : policy.defaults()) {
      if (!body.has(fallback.field()) || body.get(fallback.field()).isNull()) {
        body.set(fallback.field(), fallback.value().deepCopy());
      }
    }
  }

  /** Whether the policy overrides {@code model}: the override then wins over the provider's own model. */
  public static boolean overridesModel(AiPolicy policy) {
    return policy.overrides().stream().anyMatch(f -> f.field().equals("model"));
  }
}

package dev.tollway.edge.aipolicy;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.snapshot.AiBackend.AiPolicy;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The model sent to a provider, in agentgateway's order:
 *
 * <ol>
 *   <li>the client's {@code model} (after {@link BodyPolicies}: an override replaces it, a default fills
 *       it when the client sent none);
 *   <li>the provider's own {@code model} replaces it — unless the policy overrides {@code model}, which then
 *       wins over the provider's too;
 *   <li>{@code modelAliases} rewrite the result: an exact name first, else the {@code *} patterns, the
 *       longest pattern first (ties in name order); a name that matches nothing is kept.
 * </ol>
 *
 * So an alias also applies to a provider's fixed model, and a default {@code model} only counts when
 * neither the client nor the provider names one.
 */
public final class ModelResolution {

  private ModelResolution() {}

  /**
   * @param providerModel the provider's {@code model}, if set
   * @param bodyModel the request's model after the policy's overrides and defaults
   * @return the model to send, or null when there is none
   */
  public static @Nullable String resolve(AiPolicy policy, @Nullable String providerModel, @Nullable String bodyModel) {
    requireNonNull(policy, "policy");
    String model;
    if (BodyPolicies.overridesModel(policy)) {
      model = bodyModel;
    } else if (providerModel != null && !providerModel.isEmpty()) {
      model = providerModel;
    } else {
      model = bodyModel;
    }
    if (model == null || model.isEmpty()) {
      return null;
    }
    return alias(policy.modelAliases(), model);
  }

  /** The model an alias map turns {@code model} into, or {@code model} itself when nothing matches. */
  public static String alias(Map<String, String> aliases, String model) {
    String exact = aliases.get(model);
    if (exact != null) {
      return exact;
    }
    String best = null;
    for (String pattern : aliases.keySet()) {
      if (pattern.contains("*") && glob(pattern, model)
          && (best == null || pattern.length() > best.length()
              || (pattern.length() == best.length() && pattern.compareTo(best) < 0))) {
        best = pattern;
      }
    }
    return best != null ? aliases.get(best) : model;
  }

  /** {@code *} matches any run of characters, the rest literally. */
  static boolean glob(String pattern, String value) {
    String[] parts = pattern.split("\\*", -1);
    int at = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (i == 0) {
        if (!value.startsWith(part)) {
          return false;
        }
        at = part.length();
      } else if (i == parts.length - 1) {
        return value.length() - at >= part.length() && value.endsWith(part);
      } else {
        int found = value.indexOf(part, at);
        if (found < 0) {
          return false;
        }
        at = found + part.length();
      }
    }
    return at == value.length();
  }
}

package dev.tollway.config.provision;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Whether an object on the server still has every field config-service set, given as JSON trees (maps, lists,
 * scalars). The server adds defaults (probe thresholds, {@code terminationMessagePath}, node ports ...), so the
 * test is containment: each field of the desired tree must be in the actual tree with the same value; lists must
 * have the same length and contain element by element; quantities compare by amount ({@code 500m} = {@code 0.5}).
 */
final class ManifestDiff {

  private static final Pattern QUANTITY = Pattern.compile("[0-9.]+([a-zA-Z]{0,2})");

  private ManifestDiff() {}

  static boolean contains(Object actual, Object desired) {
    if (desired instanceof Map<?, ?> want) {
      if (!(actual instanceof Map<?, ?> have)) {
        return want.isEmpty() && actual == null;
      }
      for (Map.Entry<?, ?> e : want.entrySet()) {
        if (!contains(have.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (desired instanceof List<?> want) {
      if (!(actual instanceof List<?> have)) {
        return want.isEmpty() && actual == null;
      }
      if (have.size() != want.size()) {
        return false;
      }
      for (int i = 0; i < want.size(); i++) {
        if (!contains(have.get(i), want.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (desired == null) {
      return true;
    }
    if (Objects.equals(String.valueOf(actual), String.valueOf(desired))) {
      return true;
    }
    return actual instanceof String a && desired instanceof String d && QUANTITY.matcher(a).matches()
        && QUANTITY.matcher(d).matches() && sameQuantity(a, d);
  }

  private static boolean sameQuantity(String a, String b) {
    try {
      return Quantity.getAmountInBytes(new Quantity(a)).compareTo(Quantity.getAmountInBytes(new Quantity(b))) == 0;
    } catch (IllegalArgumentException | ArithmeticException e) {
      return false;
    }
  }
}

package dev.tollway.config.watch;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} in string values to environment variables, so that an example Secret can read
 * {@code ${OPENAI_API_KEY}}. {@code $${NAME}} stays a literal {@code ${NAME}}. A variable that is not set
 * expands to the empty string and is reported.
 */
final class EnvExpander {

  private static final Pattern REFERENCE = Pattern.compile("\\$(\\$?)\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final Map<String, String> environment;

  EnvExpander(Map<String, String> environment) {
    this.environment = Map.copyOf(requireNonNull(environment, "environment"));
  }

  /**
   * The expanded value.
   *
   * @param unset collects the names of referenced variables that are not set
   */
  String expand(String value, Set<String> unset) {
    if (value.indexOf('$') < 0) {
      return value;
    }
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (!m.group(1).isEmpty()) {
        replacement = "${" + m.group(2) + "}";
      } else if (environment.containsKey(m.group(2))) {
        replacement = environment.get(m.group(2));
      } else {
        unset.add(m.group(2));
        replacement = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A fresh collector for {@link #expand}. */
  static Set<String> collector() {
    return new TreeSet<>();
  }
}

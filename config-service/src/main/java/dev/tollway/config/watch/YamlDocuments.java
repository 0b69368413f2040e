package dev.tollway.config.watch;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a multi-document YAML file on {@code ---} separator lines, as {@code kubectl} does. Documents that
 * hold only blank lines and comments are dropped, so a leading or trailing separator adds no document.
 */
final class YamlDocuments {

  private YamlDocuments() {}

  static List<String> split(String text) {
    List<String> documents = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.lines().toList()) {
      if (isSeparator(line)) {
        add(documents, current);
        current = new StringBuilder();
        String rest = line.substring(3).strip();
        if (!rest.isEmpty() && !rest.startsWith("#")) {
          current.append(rest).append('\n');
        }
      } else if (line.equals("...")) {
        add(documents, current);
        current = new StringBuilder();
      } else {
        current.append(line).append('\n');
      }
    }
    add(documents, current);
    return documents;
  }

  private static boolean isSeparator(String line) {
    return line.startsWith("---") && (line.length() == 3 || Character.isWhitespace(line.charAt(3)));
  }

  private static void add(List<String> documents, StringBuilder document) {
    boolean content = document.toString().lines()
        .anyMatch(l -> !l.isBlank() && !l.stripLeading().startsWith("#"));
    if (content) {
      documents.add(document.toString());
    }
  }
}

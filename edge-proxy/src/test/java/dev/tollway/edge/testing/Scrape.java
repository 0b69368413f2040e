package dev.tollway.edge.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Prometheus text exposition parsed into samples, to look series up by name and labels. */
public final class Scrape {

  /** One sample line: {@code name{labels} value}. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private Scrape(List<Sample> samples) {
    this.samples = samples;
  }

  public static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        int close = line.lastIndexOf('}');
        parseLabels(line.substring(brace + 1, close), labels);
      } else {
        name = line.substring(0, space);
      }
      samples.add(new Sample(name, labels, number(line.substring(space + 1).strip())));
    }
    return new Scrape(samples);
  }

  private static void parseLabels(String text, Map<String, String> labels) {
    int i = 0;
    while (i < text.length()) {
      int eq = text.indexOf('=', i);
      String key = text.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      while (text.charAt(j) != '"') {
        char c = text.charAt(j);
        if (c == '\\') {
          j++;
          char escaped = text.charAt(j);
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(c);
        }
        j++;
      }
      labels.put(key, value.toString());
      i = j + 1;
      while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
        i++;
      }
    }
  }

  /** Every sample of a metric whose labels include the given ones ({@code le} compared as a number). */
  public List<Sample> find(String name, Map<String, String> labels) {
    List<Sample> found = new ArrayList<>();
    for (Sample sample : samples) {
      if (sample.name().equals(name) && matches(sample.labels(), labels)) {
        found.add(sample);
      }
    }
    return found;
  }

  /** The value of the one sample of a metric whose labels include the given ones. */
  public double value(String name, Map<String, String> labels) {
    List<Sample> found = find(name, labels);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + name + " with " + labels + ", found " + found);
    }
    return found.get(0).value();
  }

  /** Whether a metric of this name is exposed. */
  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  public List<Sample> samples() {
    return List.copyOf(samples);
  }

  private static double number(String text) {
    return Double.parseDouble(text.replace("Inf", "Infinity").replace("NaN", "NaN"));
  }

  private static boolean matches(Map<String, String> actual, Map<String, String> wanted) {
    for (Map.Entry<String, String> entry : wanted.entrySet()) {
      String value = actual.get(entry.getKey());
      if (value == null) {
        return false;
      }
      if (entry.getKey().equals("le")) {
        if (number(value) != number(entry.getValue())) {
          return false;
        }
      } else if (!value.equals(entry.getValue())) {
        return false;
      }
    }
    return true;
  }
}

package dev.tollway.edge.pipeline;

import java.util.Map;

/**
 * The AI route type of a request path from a backend's {@code spec.policies.ai.routes} map: the longest
 * path suffix that the path ends with, {@code *} last; an empty map (or no match) means {@code Completions},
 * as in agentgateway.
 */
final class RouteTypes {

  static final String COMPLETIONS = "Completions";
  static final String MESSAGES = "Messages";
  static final String PASSTHROUGH = "Passthrough";

  private RouteTypes() {}

  static String resolve(Map<String, String> routes, String path) {
    String best = null;
    String type = null;
    for (Map.Entry<String, String> route : routes.entrySet()) {
      String suffix = route.getKey();
      if (suffix.equals("*")) {
        continue;
      }
      if (path.endsWith(suffix) && (best == null || suffix.length() > best.length())) {
        best = suffix;
        type = route.getValue();
      }
    }
    if (type != null) {
      return type;
    }
    return routes.getOrDefault("*", COMPLETIONS);
  }
}

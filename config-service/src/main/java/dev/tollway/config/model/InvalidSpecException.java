package dev.tollway.config.model;

import static java.util.Objects.requireNonNull;

/**
 * A custom resource's spec is invalid, or uses a field Tollway does not support yet. The message starts with
 * the path of the offending field: {@code spec.ai.provider: expected exactly one of openai, anthropic, ...}.
 */
public final class InvalidSpecException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String path;
  private final boolean unsupported;

  private InvalidSpecException(String path, String problem, boolean unsupported) {
    super(path + ": " + problem);
    this.path = requireNonNull(path, "path");
    this.unsupported = unsupported;
  }

  /** The field holds a value that is not valid. */
  public static InvalidSpecException invalid(String path, String problem) {
    return new InvalidSpecException(path, problem, false);
  }

  /** The field is valid for agentgateway but Tollway cannot honour it yet. */
  public static InvalidSpecException unsupported(String path, String problem) {
    return new InvalidSpecException(path, problem, true);
  }

  /** The path of the offending field, such as {@code spec.policies.auth.secretRef.name}. */
  public String path() {
    return path;
  }

  /** Whether the field is valid but not supported (rather than invalid). */
  public boolean unsupported() {
    return unsupported;
  }
}

package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Where a route sends its requests. Exactly the field that belongs to {@link #kind()} is set.
 *
 * @param name {@code "<namespace>/<name>"} of the resource this backend comes from
 * @param kind what the backend is
 * @param ai the LLM providers of an {@code AgentgatewayBackend} with {@code spec.ai}
 * @param host the address of a plain HTTP backend, such as a Kubernetes {@code Service}
 */
public record Backend(String name, Kind kind, @Nullable AiBackend ai, @Nullable HostBackend host) {

  public Backend {
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
  }

  public static Backend ai(String name, AiBackend ai) {
    return new Backend(name, Kind.ai, requireNonNull(ai, "ai"), null);
  }

  public static Backend host(String name, HostBackend host) {
    return new Backend(name, Kind.host, null, requireNonNull(host, "host"));
  }

  /** The kinds of backend. */
  public enum Kind {
    /** LLM providers: requests are parsed, translated and metered. */
    ai,
    /** A plain HTTP upstream: requests are proxied as they are. */
    host
  }

  /**
   * A plain HTTP upstream.
   *
   * @param hostname DNS name or address
   * @param port TCP port
   * @param tls whether to speak TLS to it
   */
  public record HostBackend(String hostname, int port, boolean tls) {
    public HostBackend {
      requireNonNull(hostname, "hostname");
    }
  }
}

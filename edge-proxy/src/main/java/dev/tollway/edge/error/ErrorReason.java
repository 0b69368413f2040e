package dev.tollway.edge.error;

/**
 * Why a request failed, with the HTTP status the client gets. Every error the proxy answers carries one of
 * these; usage events record it as {@code errorClass}.
 */
public enum ErrorReason {
  /** The body is not valid JSON, or not a valid request of the client's API. */
  INVALID_REQUEST(400),
  /** The request body is larger than the limit. */
  REQUEST_TOO_LARGE(413),
  /** The client did not send its request in time. */
  REQUEST_TIMEOUT(408),
  /** No client credential, or an unknown one. */
  UNAUTHENTICATED(401),
  /** The credential is valid but not allowed here. */
  FORBIDDEN(403),
  /** No route matches the request. */
  ROUTE_NOT_FOUND(404),
  /** The route matched but the method is not supported by it. */
  METHOD_NOT_ALLOWED(405),
  /** A local rate limit was hit. */
  RATE_LIMITED(429),
  /** The caller is over a budget. */
  QUOTA_EXCEEDED(429),
  /** The route's backend is not usable (not found, missing Secret, invalid); the message says why. */
  BACKEND_UNAVAILABLE(500),
  /** The API of the request cannot be served by the backend's provider. */
  NOT_IMPLEMENTED(501),
  /** The provider rejected the request as invalid. */
  UPSTREAM_BAD_REQUEST(400),
  /** The provider refused the gateway's credential. */
  UPSTREAM_UNAUTHORIZED(502),
  /** The provider rate-limited the request. */
  UPSTREAM_RATE_LIMITED(429),
  /** The provider answered with an error or something that is not its API. */
  UPSTREAM_ERROR(502),
  /** The provider could not be reached. */
  UPSTREAM_UNREACHABLE(503),
  /** The provider did not answer in time. */
  UPSTREAM_TIMEOUT(504),
  /** The provider's stream ended before it was complete. */
  UPSTREAM_STREAM_INTERRUPTED(502),
  /** The proxy is not ready (no configuration yet) or is shutting down. */
  UNAVAILABLE(503),
  /** A bug: the proxy failed where it should not have. */
  INTERNAL(500);

  private final int status;

  ErrorReason(int status) {
    this.status = status;
  }

  /** The HTTP status the client gets by default. */
  public int status() {
    return status;
  }
}

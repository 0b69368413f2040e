package dev.tollway.usage.http;

import java.util.Locale;

/** Why an API request failed, with the HTTP status the client gets. */
public enum ApiError {
  /** A query parameter is missing a value, malformed or out of range; the message names it. */
  INVALID_PARAMETER(400),
  /** No such endpoint. */
  NOT_FOUND(404),
  /** The endpoint exists but not for this method. */
  METHOD_NOT_ALLOWED(405),
  /** The state store cannot be read yet (Kafka Streams is starting or rebalancing). */
  NOT_READY(503),
  /** Anything else; logged with its cause. */
  INTERNAL(500);

  private final int status;

  ApiError(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** The code in the error body, {@code invalid_parameter} and so on. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}

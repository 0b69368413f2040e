package dev.tollway.edge.sse;

/** A byte stream that cannot be read as server-sent events within the parser's limits. */
public final class SseFormatException extends RuntimeException {

  public SseFormatException(String message) {
    super(message);
  }
}

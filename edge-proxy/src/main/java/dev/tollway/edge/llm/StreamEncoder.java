package dev.tollway.edge.llm;

import dev.tollway.edge.error.GatewayException;
import org.jspecify.annotations.Nullable;

/**
 * Writes {@link ChatEvent}s as the client's streaming format (server-sent events). Not thread-safe: one per
 * stream.
 */
public interface StreamEncoder {

  /** The bytes for this event; empty when the event has no representation in this format. */
  byte[] encode(ChatEvent event);

  /**
   * The closing bytes: the format's clean end ({@code data: [DONE]}, {@code message_stop}) when
   * {@code error} is null, else an error event in the format's shape and never a clean end.
   */
  byte[] finish(@Nullable GatewayException error);
}

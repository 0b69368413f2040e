package dev.tollway.edge.llm;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Turns a provider's streamed body into {@link ChatEvent}s as the bytes arrive. Not thread-safe: one per
 * stream, fed in order. Chunks may split lines, events and UTF-8 sequences anywhere.
 */
public interface StreamDecoder {

  /** Decodes what this chunk completes; keeps the rest for the next call. */
  List<ChatEvent> decode(ByteBuffer chunk);

  /** The body ended. Returns anything left. */
  List<ChatEvent> end();

  /** Whether the provider's own end-of-stream marker was seen (a stream without it was cut short). */
  boolean completed();
}

package dev.tollway.edge.upstream;

import dev.tollway.edge.error.GatewayException;
import io.undertow.util.HeaderMap;
import java.nio.ByteBuffer;

/**
 * Receives an upstream's answer on the IO thread of the call, in order: {@code onResponseStart}, any number
 * of {@code onBodyChunk}, then exactly one of {@code onComplete} or {@code onError} (or {@code onError} alone
 * when no answer started). Nothing is called after {@link UpstreamCall#cancel()}.
 */
public interface UpstreamResponseHandler {

  void onResponseStart(UpstreamCall call, int status, HeaderMap headers);

  /** A chunk of the body; valid only during the call (copy what must be kept). */
  void onBodyChunk(UpstreamCall call, ByteBuffer chunk);

  void onComplete(UpstreamCall call);

  /**
   * The call failed: {@code UPSTREAM_UNREACHABLE} (refused, DNS), {@code UPSTREAM_TIMEOUT} (connect or attempt
   * timeout), {@code UPSTREAM_ERROR} (the connection broke).
   */
  void onError(UpstreamCall call, GatewayException error);
}

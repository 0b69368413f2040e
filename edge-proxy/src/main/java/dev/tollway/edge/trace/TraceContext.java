package dev.tollway.edge.trace;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * A W3C trace context: the trace id, the id of the span that is the parent of whatever is sent with it, and
 * whether the trace is sampled. Renders as a {@code traceparent} header of version {@code 00}.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param spanId 16 lower-case hex digits, not all zero
 * @param sampled the {@code sampled} trace flag
 */
public record TraceContext(String traceId, String spanId, boolean sampled) {

  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  public TraceContext {
    requireNonNull(traceId, "traceId");
    requireNonNull(spanId, "spanId");
    if (!isHex(traceId, 32) || traceId.equals(ZERO_TRACE)) {
      throw new IllegalArgumentException("traceId: " + traceId + " (expected: 32 lower-case hex digits, not all zero)");
    }
    if (!isHex(spanId, 16) || spanId.equals(ZERO_SPAN)) {
      throw new IllegalArgumentException("spanId: " + spanId + " (expected: 16 lower-case hex digits, not all zero)");
    }
  }

  /**
   * The context of a {@code traceparent} header, or null when it is absent or malformed (then the request starts
   * a trace of its own, as the W3C recommendation says). Versions above {@code 00} are read by their first four
   * fields; version {@code ff} is invalid.
   */
  public static @Nullable TraceContext parse(@Nullable String traceparent) {
    if (traceparent == null) {
      return null;
    }
    String value = traceparent.strip();
    if (value.length() < 55 || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
      return null;
    }
    String version = value.substring(0, 2);
    if (!isHex(version, 2) || version.equals("ff") || (version.equals("00") && value.length() != 55)
        || (value.length() > 55 && value.charAt(55) != '-')) {
      return null;
    }
    String traceId = value.substring(3, 35);
    String spanId = value.substring(36, 52);
    String flags = value.substring(53, 55);
    if (!isHex(traceId, 32) || !isHex(spanId, 16) || !isHex(flags, 2)
        || traceId.equals(ZERO_TRACE) || spanId.equals(ZERO_SPAN)) {
      return null;
    }
    return new TraceContext(traceId, spanId, (Integer.parseInt(flags, 16) & 1) == 1);
  }

  /** A new trace with a random trace id and span id. */
  public static TraceContext newTrace(boolean sampled) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high;
    long low;
    do {
      high = random.nextLong();
      low = random.nextLong();
    } while (high == 0 && low == 0);
    return new TraceContext(hex(high) + hex(low), newSpanId(), sampled);
  }

  /** The same trace and flag with a new random span id: the context of a child span. */
  public TraceContext child() {
    return new TraceContext(traceId, newSpanId(), sampled);
  }

  /** The {@code traceparent} header of this context. */
  public String traceparent() {
    return new StringBuilder(55).append("00-").append(traceId).append('-').append(spanId)
        .append(sampled ? "-01" : "-00").toString();
  }

  private static String newSpanId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return hex(id);
  }

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private static String hex(long value) {
    char[] out = new char[16];
    for (int i = 15; i >= 0; i--) {
      out[i] = DIGITS[(int) (value & 0xF)];
      value >>>= 4;
    }
    return new String(out);
  }

  private static boolean isHex(String value, int length) {
    if (value.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}

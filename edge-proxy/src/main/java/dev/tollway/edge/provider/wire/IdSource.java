package dev.tollway.edge.provider.wire;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes ids for things a provider did not name (a response id, a Gemini function call id). Injected so that
 * tests are deterministic.
 */
@FunctionalInterface
public interface IdSource {

  /** A new id starting with {@code prefix}. */
  String next(String prefix);

  /** Random ids: the prefix and 24 base-62 characters. */
  static IdSource random() {
    SecureRandom random = new SecureRandom();
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    return prefix -> {
      StringBuilder out = new StringBuilder(prefix.length() + 24).append(prefix);
      for (int i = 0; i < 24; i++) {
        out.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      return out.toString();
    };
  }

  /** Counting ids ({@code prefix1}, {@code prefix2}, ...), for tests. */
  static IdSource counting() {
    AtomicLong counter = new AtomicLong();
    return prefix -> prefix + counter.incrementAndGet();
  }
}

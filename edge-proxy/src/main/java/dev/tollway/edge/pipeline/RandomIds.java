package dev.tollway.edge.pipeline;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) UUIDs for request and event ids, from {@link ThreadLocalRandom}: unique, not secret, so
 * without {@link UUID#randomUUID()}'s shared, synchronized {@code SecureRandom} on the IO threads.
 */
final class RandomIds {

  private RandomIds() {}

  static String uuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }
}

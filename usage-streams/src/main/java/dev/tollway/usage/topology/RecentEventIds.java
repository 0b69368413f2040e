package dev.tollway.usage.topology;

import java.util.Map;
import java.util.TreeMap;

/**
 * The event ids a task has stored in its deduplication store since it started, for the last {@link #SPAN} of
 * event time, held in memory as 64-bit hashes by second of event time. Nearly every event is new, and this lets
 * {@link DeduplicateByEventId} know it is new without a store lookup: if the ids cover the event's time and do
 * not hold its hash, the store cannot hold its id. A hash found here is only a hint (two ids can share a hash),
 * so the store has the last word on it.
 *
 * <p>The ids cover a time when every id stored with that time is here:
 *
 * <ul>
 *   <li>it is after {@code storedBefore}, the stream time the task started with: ids stored by an earlier run
 *       of the task (left on disk or restored from the changelog) have record times up to the committed stream
 *       time, and a copy of an event has its record time;
 *   <li>and it is not older than a second already forgotten.
 * </ul>
 *
 * <p>Memory grows with the rate of events: 16 to 32 bytes an id, 9 to 18 MB for the eleven seconds held at
 * 50,000 events a second.
 */
final class RecentEventIds {

  /** How much event time, behind the stream time, the ids are kept for. */
  static final long SPAN = 10_000;

  private static final long SECOND = 1_000;

  private final long storedBefore;
  private final TreeMap<Long, Hashes> bySecond = new TreeMap<>();
  private long forgottenBefore = Long.MIN_VALUE;

  /** Ids of a task whose store may hold ids with record times up to {@code storedBefore}. */
  RecentEventIds(long storedBefore) {
    this.storedBefore = storedBefore;
  }

  /** Whether every id stored with record time {@code time} since the task started is here. */
  boolean covers(long time) {
    return !storedBeforeStart(time) && time >= forgottenBefore;
  }

  /** Whether an earlier run of the task may have stored an id with record time {@code time}. */
  boolean storedBeforeStart(long time) {
    return time <= storedBefore;
  }

  /**
   * Whether an id with this hash was remembered at {@code time}: never wrong when false, where {@link #covers}
   * (tests read it; {@link #remember} asks it and adds in one lookup).
   */
  boolean mayHold(String eventId, long time) {
    Hashes hashes = bySecond.get(Math.floorDiv(time, SECOND));
    return hashes != null && hashes.contains(hash(eventId));
  }

  /**
   * Remembers an id the task stores, or finds stored, with record time {@code time} (unless that time is
   * forgotten already), and tells whether it is certainly new: its time is covered and no id with its hash was
   * held. One hash and one lookup, however it turns out.
   */
  boolean remember(String eventId, long time) {
    if (time < forgottenBefore) {
      return false;
    }
    boolean added = bySecond.computeIfAbsent(Math.floorDiv(time, SECOND), second -> new Hashes()).add(hash(eventId));
    return added && covers(time);
  }

  /** Forgets the seconds that end more than {@link #SPAN} before {@code streamTime}. */
  void advance(long streamTime) {
    long limit = streamTime - SPAN;
    for (Map.Entry<Long, Hashes> oldest = bySecond.firstEntry();
        oldest != null && (oldest.getKey() + 1) * SECOND <= limit;
        oldest = bySecond.firstEntry()) {
      forgottenBefore = Math.max(forgottenBefore, (oldest.getKey() + 1) * SECOND);
      bySecond.pollFirstEntry();
    }
  }

  /** How many ids are held (tests read it). */
  int size() {
    return bySecond.values().stream().mapToInt(hashes -> hashes.size).sum();
  }

  /** A 64-bit FNV-1a hash of the id's characters, finished with MurmurHash3's mixer; never 0. */
  static long hash(String eventId) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < eventId.length(); i++) {
      h = (h ^ eventId.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  /** A set of non-zero longs: open addressing, linear probing, at most half full; 0 marks a free slot. */
  private static final class Hashes {

    private long[] slots = new long[256];
    private int size;

    boolean contains(long hash) {
      int mask = slots.length - 1;
      for (int i = (int) hash & mask; slots[i] != 0; i = (i + 1) & mask) {
        if (slots[i] == hash) {
          return true;
        }
      }
      return false;
    }

    /** Adds the hash; false when it was held already. */
    boolean add(long hash) {
      if (!insert(slots, hash)) {
        return false;
      }
      size++;
      if (size * 2 > slots.length) {
        long[] larger = new long[slots.length * 2];
        for (long held : slots) {
          if (held != 0) {
            insert(larger, held);
          }
        }
        slots = larger;
      }
      return true;
    }

    private static boolean insert(long[] table, long hash) {
      int mask = table.length - 1;
      int i = (int) hash & mask;
      while (table[i] != 0) {
        if (table[i] == hash) {
          return false;
        }
        i = (i + 1) & mask;
      }
      table[i] = hash;
      return true;
    }
  }
}

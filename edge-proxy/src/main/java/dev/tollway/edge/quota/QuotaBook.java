package dev.tollway.edge.quota;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.quota.QuotaDecision.SubjectType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The quota decisions in force: one per subject and budget, as on the compacted topic (a record sets one, a
 * tombstone lifts it). Written by one thread (the quota consumer), read by every request without locks and
 * without allocating: decisions are indexed by subject type, then subject, then budget.
 *
 * <p>A decision blocks until its {@code blockedUntil}; after that it is ignored even if its tombstone has not
 * arrived yet.
 */
public final class QuotaBook {

  private final Map<SubjectType, Map<String, Map<String, QuotaDecision>>> decisions = new EnumMap<>(SubjectType.class);
  private final Set<String> unconfirmed = ConcurrentHashMap.newKeySet();

  public QuotaBook() {
    for (SubjectType type : SubjectType.values()) {
      decisions.put(type, new ConcurrentHashMap<>());
    }
  }

  /** A topic key, {@code <subjectType>:<subject>|<budget>}, taken apart. */
  record Key(SubjectType type, String subject, String budget) {
    /** Parses a key; null when it is not one. */
    static @Nullable Key parse(@Nullable String key) {
      if (key == null) {
        return null;
      }
      int colon = key.indexOf(':');
      int bar = key.lastIndexOf('|');
      if (colon <= 0 || bar <= colon + 1 || bar == key.length() - 1) {
        return null;
      }
      SubjectType type;
      try {
        type = SubjectType.valueOf(key.substring(0, colon));
      } catch (IllegalArgumentException e) {
        return null;
      }
      return new Key(type, key.substring(colon + 1, bar), key.substring(bar + 1));
    }
  }

  /**
   * Applies one record of the topic.
   *
   * @param key the record key
   * @param decision the decision, or null for a tombstone
   * @return false when the record was not applied: the key is malformed, or does not match the decision's
   */
  public boolean apply(@Nullable String key, @Nullable QuotaDecision decision) {
    Key parsed = Key.parse(key);
    if (parsed == null || (decision != null && !decision.key().equals(key))) {
      return false;
    }
    Map<String, Map<String, QuotaDecision>> bySubject = decisions.get(parsed.type());
    unconfirmed.remove(key);
    if (decision == null) {
      bySubject.computeIfPresent(parsed.subject(), (s, budgets) -> {
        budgets.remove(parsed.budget());
        return budgets.isEmpty() ? null : budgets;
      });
      return true;
    }
    bySubject.computeIfAbsent(parsed.subject(), s -> new ConcurrentHashMap<>()).put(parsed.budget(), decision);
    return true;
  }

  /**
   * Loads decisions kept on disk before the topic is read; each stays until the topic confirms or replaces it,
   * or until {@link #dropUnconfirmed()} once the topic has been read to its end.
   */
  public void loadKept(List<QuotaDecision> kept) {
    for (QuotaDecision decision : kept) {
      if (apply(decision.key(), decision)) {
        unconfirmed.add(decision.key());
      }
    }
  }

  /** Drops the kept decisions the topic no longer holds (their tombstones may have been compacted away). */
  public int dropUnconfirmed() {
    int dropped = 0;
    for (String key : new ArrayList<>(unconfirmed)) {
      if (apply(key, null)) {
        dropped++;
      }
    }
    unconfirmed.clear();
    return dropped;
  }

  /** The decision blocking this subject now, if any (the one blocking longest when several do). */
  public Optional<QuotaDecision> blocking(SubjectType type, @Nullable String subject, Instant now) {
    if (subject == null) {
      return Optional.empty();
    }
    Map<String, QuotaDecision> budgets = decisions.get(type).get(subject);
    if (budgets == null) {
      return Optional.empty();
    }
    QuotaDecision longest = null;
    for (QuotaDecision decision : budgets.values()) {
      if (now.isBefore(decision.blockedUntil())
          && (longest == null || decision.blockedUntil().isAfter(longest.blockedUntil()))) {
        longest = decision;
      }
    }
    return Optional.ofNullable(longest);
  }

  /** Every decision held, expired or not. */
  public List<QuotaDecision> all() {
    List<QuotaDecision> all = new ArrayList<>();
    decisions.values().forEach(bySubject -> bySubject.values().forEach(b -> all.addAll(b.values())));
    return all;
  }

  /** How many decisions block a subject now. */
  public int blockedCount(Instant now) {
    Set<String> subjects = new HashSet<>();
    for (QuotaDecision d : all()) {
      if (now.isBefore(d.blockedUntil())) {
        subjects.add(d.subjectKey());
      }
    }
    return subjects.size();
  }
}

package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.usage.quota.BudgetRule;
import dev.tollway.usage.quota.BudgetState;
import dev.tollway.usage.quota.Charge;
import dev.tollway.usage.quota.Subject;
import dev.tollway.usage.quota.WindowSpec;
import dev.tollway.usage.quota.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each subject's running totals per budget window and turns them into quota decisions.
 *
 * <p>Charges arrive keyed by subject, so one task owns all of a subject's totals. Each charge is added once
 * to the bucket of its event time in every window shape that a budget applying to the subject uses (budgets
 * with the same shape share the totals), unless that window is already over by the wall clock. Then every
 * such budget is checked at the current wall-clock time:
 *
 * <ul>
 *   <li>exhausted and not yet blocked → ONE {@link QuotaDecision} to {@code tollway.quota.v1}, kept in the
 *       blocks store;
 *   <li>exhausted and blocked → nothing is emitted; the stored block's {@code used} follows (the overshoot of
 *       requests that were in flight), unless the block lapsed or its terms changed, then a fresh decision;
 *   <li>not exhausted and blocked → a tombstone, which lifts the block.
 * </ul>
 *
 * <p>A wall-clock punctuator re-checks every block each {@code checkInterval} (a calendar window rolled over,
 * a rolling window slid, a budget raised, removed or no longer applying → tombstone), and sweeps all totals
 * when the budgets changed or once a minute (a budget lowered or added → decision; buckets no longer live →
 * deleted).
 */
final class EnforceBudgets implements Processor<String, Charge, String, QuotaDecision> {

  private static final Logger LOG = LoggerFactory.getLogger(EnforceBudgets.class);
  private static final long SWEEP_INTERVAL_MILLIS = Duration.ofMinutes(1).toMillis();
  private static final StringSerializer KEYS = new StringSerializer();

  private final String budgetsStore;
  private final LongSupplier budgetChanges;
  private final String totalsStore;
  private final String blocksStore;
  private final Duration checkInterval;
  private @Nullable ProcessorContext<String, QuotaDecision> context;
  private @Nullable BudgetBook budgets;
  private @Nullable KeyValueStore<String, WindowUsage> totals;
  private @Nullable KeyValueStore<String, QuotaDecision> blocks;
  private long sweptVersion = -1;
  /**
   * The buckets of rolling windows by totals-key prefix (one subject and shape), as the totals store holds
   * them: read from the store once, by a prefix scan (the most expensive read here: an iterator over the record
   * cache and RocksDB per charge), then kept in step with every write this processor makes to them. Dropped at
   * every initialisation (a task initialised again after an aborted transaction reads its restored store
   * afresh) and at every sweep, which deletes the buckets that no longer count: evaluating ignores those, but
   * the maps would keep them and grow.
   */
  private final Map<String, NavigableMap<Long, WindowUsage>> rolling = new HashMap<>();
  private long lastSweep = Long.MIN_VALUE;

  private EnforceBudgets(
      String budgetsStore, LongSupplier budgetChanges, String totalsStore, String blocksStore, Duration checkInterval) {
    this.budgetsStore = budgetsStore;
    this.budgetChanges = budgetChanges;
    this.totalsStore = totalsStore;
    this.blocksStore = blocksStore;
    this.checkInterval = checkInterval;
  }

  static ProcessorSupplier<String, Charge, String, QuotaDecision> supplier(
      String budgetsStore,
      LongSupplier budgetChanges,
      StoreBuilder<KeyValueStore<String, WindowUsage>> totals,
      StoreBuilder<KeyValueStore<String, QuotaDecision>> blocks,
      Duration checkInterval) {
    requireNonNull(budgetsStore, "budgetsStore");
    requireNonNull(budgetChanges, "budgetChanges");
    requireNonNull(totals, "totals");
    requireNonNull(blocks, "blocks");
    requireNonNull(checkInterval, "checkInterval");
    return new ProcessorSupplier<>() {
      @Override
      public Processor<String, Charge, String, QuotaDecision> get() {
        return new EnforceBudgets(budgetsStore, budgetChanges, totals.name(), blocks.name(), checkInterval);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(totals, blocks);
      }
    };
  }

  @Override
  public void init(ProcessorContext<String, QuotaDecision> context) {
    this.context = context;
    KeyValueStore<String, ValueAndTimestamp<Budget>> budgetStore = context.getStateStore(budgetsStore);
    this.budgets = new BudgetBook(budgetStore, budgetChanges);
    this.totals = context.getStateStore(totalsStore);
    this.blocks = context.getStateStore(blocksStore);
    rolling.clear();
    context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::check);
  }

  @Override
  public void process(Record<String, Charge> record) {
    Charge charge = record.value();
    Subject subject = charge.subject();
    long now = context().currentSystemTimeMs();
    List<BudgetRule> applying = new ArrayList<>();
    for (BudgetRule rule : budgets().rules()) {
      if (rule.appliesTo(subject)) {
        applying.add(rule);
      }
    }
    if (applying.isEmpty()) {
      return;
    }
    WindowUsage usage = WindowUsage.of(charge);
    Set<WindowSpec> shapes = new LinkedHashSet<>();
    applying.forEach(rule -> shapes.add(rule.spec()));
    for (WindowSpec shape : shapes) {
      long bucket = shape.bucketStart(record.timestamp());
      if (!shape.isLive(bucket, now)) {
        continue;
      }
      String prefix = TotalsKey.prefix(subject, shape);
      String key = TotalsKey.encode(prefix, bucket);
      WindowUsage before = totals().get(key);
      WindowUsage after = before == null ? usage : before.plus(usage);
      totals().put(key, after);
      NavigableMap<Long, WindowUsage> known = rolling.get(prefix); // only rolling shapes are kept
      if (known != null) {
        known.put(bucket, after);
      }
    }
    Map<WindowSpec, NavigableMap<Long, WindowUsage>> loaded = new HashMap<>();
    for (BudgetRule rule : applying) {
      reconcile(subject, rule, now, loaded);
    }
  }

  /** The punctuation: re-check every block, and sweep the totals when due. */
  private void check(long now) {
    List<BudgetRule> rules = budgets().rules();
    Map<String, BudgetRule> byName = new HashMap<>();
    rules.forEach(rule -> byName.put(rule.budget().name(), rule));
    List<KeyValue<String, QuotaDecision>> blocked = new ArrayList<>();
    try (KeyValueIterator<String, QuotaDecision> all = blocks().all()) {
      all.forEachRemaining(blocked::add);
    }
    for (KeyValue<String, QuotaDecision> block : blocked) {
      QuotaDecision decision = block.value;
      Subject subject = new Subject(Budget.SubjectType.valueOf(decision.subjectType().name()), decision.subject());
      BudgetRule rule = byName.get(decision.budget());
      if (rule == null) {
        lift(block.key, decision, now, "budget removed or not enforceable");
      } else if (!rule.appliesTo(subject)) {
        lift(block.key, decision, now, "budget no longer applies to the subject");
      } else {
        reconcile(subject, rule, now, new HashMap<>());
      }
    }
    if (budgets().version() != sweptVersion || now - lastSweep >= SWEEP_INTERVAL_MILLIS) {
      sweep(rules, now);
      sweptVersion = budgets().version();
      lastSweep = now;
    }
  }

  /** Deletes buckets that no longer count, and checks every subject that has totals against every budget. */
  private void sweep(List<BudgetRule> rules, long now) {
    rolling.clear();
    Set<Subject> subjects = new LinkedHashSet<>();
    List<String> dead = new ArrayList<>();
    try (KeyValueIterator<String, WindowUsage> all = totals().all()) {
      while (all.hasNext()) {
        String key = all.next().key;
        Optional<TotalsKey> parsed = TotalsKey.decode(key);
        if (parsed.isEmpty() || !parsed.get().spec().isLive(parsed.get().bucketStart(), now)) {
          dead.add(key);
        } else {
          subjects.add(parsed.get().subject());
        }
      }
    }
    dead.forEach(totals()::delete);
    for (Subject subject : subjects) {
      Map<WindowSpec, NavigableMap<Long, WindowUsage>> loaded = new HashMap<>();
      for (BudgetRule rule : rules) {
        if (rule.appliesTo(subject)) {
          reconcile(subject, rule, now, loaded);
        }
      }
    }
  }

  /**
   * Evaluates one budget of one subject and emits what changed; {@code loaded} keeps the buckets read for
   * each window shape, for the other budgets of the same subject and shape.
   */
  private void reconcile(
      Subject subject, BudgetRule rule, long now, Map<WindowSpec, NavigableMap<Long, WindowUsage>> loaded) {
    NavigableMap<Long, WindowUsage> buckets = loaded.computeIfAbsent(rule.spec(), spec -> buckets(subject, spec, now));
    BudgetState state = rule.evaluate(buckets, now);
    String key = QuotaDecision.key(subject.decisionType(), subject.id(), rule.budget().name());
    QuotaDecision existing = blocks().get(key);
    if (state.exhausted()) {
      if (existing == null || existing.blockedUntil().toEpochMilli() <= now || !sameTerms(existing, rule, state)) {
        QuotaDecision decision = rule.decision(subject, state, Instant.ofEpochMilli(now));
        blocks().put(key, decision);
        context().forward(new Record<>(key, decision, now));
        LOG.info(
            "subject over budget, blocked: subject={} budget={} used={} limit={} unit={} until={}",
            subject.key(),
            rule.budget().name(),
            state.used(),
            rule.budget().limit(),
            rule.budget().unit(),
            state.blockedUntil());
      } else if (existing.used() != state.used()) {
        blocks().put(key, withUsed(existing, state.used()));
      }
    } else if (existing != null) {
      lift(key, existing, now, existing.windowStart().equals(state.windowStart()) || rule.spec().rolling()
          ? "under the limit again"
          : "window rolled over");
    }
  }

  private void lift(String key, QuotaDecision block, long now, String reason) {
    blocks().delete(key);
    context().forward(new Record<String, QuotaDecision>(key, null, now));
    LOG.info("quota block lifted: subject={} budget={} reason={}", block.subjectKey(), block.budget(), reason);
  }

  /**
   * The buckets that can count at {@code now}: for a calendar window the one bucket of the window containing
   * {@code now}, for a rolling window all of the shape's buckets (kept in {@link #rolling} once read). The map
   * is read, never changed, by the caller.
   */
  private NavigableMap<Long, WindowUsage> buckets(Subject subject, WindowSpec spec, long now) {
    if (!spec.rolling()) {
      long start = spec.bucketStart(now);
      WindowUsage current = totals().get(new TotalsKey(subject, spec, start).encode());
      if (current == null) {
        return Collections.emptyNavigableMap();
      }
      NavigableMap<Long, WindowUsage> one = new TreeMap<>();
      one.put(start, current);
      return one;
    }
    String prefix = TotalsKey.prefix(subject, spec);
    NavigableMap<Long, WindowUsage> known = rolling.get(prefix);
    if (known != null) {
      return known;
    }
    NavigableMap<Long, WindowUsage> buckets = new TreeMap<>();
    try (KeyValueIterator<String, WindowUsage> range = totals().prefixScan(prefix, KEYS)) {
      while (range.hasNext()) {
        KeyValue<String, WindowUsage> entry = range.next();
        TotalsKey.decode(entry.key).ifPresent(key -> buckets.put(key.bucketStart(), entry.value));
      }
    }
    rolling.put(prefix, buckets);
    return buckets;
  }

  private static boolean sameTerms(QuotaDecision existing, BudgetRule rule, BudgetState state) {
    Budget budget = rule.budget();
    return existing.limit() == budget.limit()
        && existing.unit().name().equals(budget.unit().name())
        && existing.window().name().equals(budget.window().name())
        && (rule.spec().rolling() || existing.windowStart().equals(state.windowStart()));
  }

  private static QuotaDecision withUsed(QuotaDecision decision, long used) {
    return new QuotaDecision(
        decision.schemaVersion(),
        decision.subjectType(),
        decision.subject(),
        decision.budget(),
        decision.window(),
        decision.windowStart(),
        decision.windowEnd(),
        used,
        decision.limit(),
        decision.unit(),
        decision.blockedUntil(),
        decision.decidedAt());
  }

  private ProcessorContext<String, QuotaDecision> context() {
    return requireNonNull(context, "context");
  }

  private BudgetBook budgets() {
    return requireNonNull(budgets, "budgets");
  }

  private KeyValueStore<String, WindowUsage> totals() {
    return requireNonNull(totals, "totals");
  }

  private KeyValueStore<String, QuotaDecision> blocks() {
    return requireNonNull(blocks, "blocks");
  }
}

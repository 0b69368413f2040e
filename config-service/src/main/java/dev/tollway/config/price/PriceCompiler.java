package dev.tollway.config.price;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.model.InvalidSpecException;
import dev.tollway.config.model.Resources;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.Condition.Types;
import dev.tollway.config.status.ObjectRef;
import dev.tollway.config.status.Reasons;
import dev.tollway.config.status.ResourceStatus;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.serde.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layers operators' {@code ModelPrice} resources over the catalog. Pure: the same catalog and resources give
 * the same prices, whatever the order of the resources.
 *
 * <ul>
 *   <li>A valid resource replaces the catalog's price for its provider and model, or adds one; its record has
 *       {@code source: override:<namespace>/<name>} and {@code catalogVersion: <catalog>+override-<hash>},
 *       the hash being of the override's prices, so changing one override changes one record.
 *   <li>An invalid resource gets {@code Accepted=False Invalid} naming the field, and changes nothing: if it
 *       was accepted before, its previous record stays in force (unless a valid override took the model).
 *   <li>Two resources for the same provider and model: the older ({@code creationTimestamp}) wins, then the
 *       first by namespace and name; the other gets {@code Accepted=False Conflicted}.
 * </ul>
 */
public final class PriceCompiler {

  /** Appended to the message of an invalid resource whose previous prices stay in force. */
  public static final String KEPT = "the last accepted version stays in force";

  /** The reason of a {@code ModelPrice} that lost to another for the same provider and model. */
  public static final String CONFLICTED = "Conflicted";

  private static final Logger log = LoggerFactory.getLogger(PriceCompiler.class);

  private static final Comparator<Candidate> PRECEDENCE =
      Comparator.comparing((Candidate c) -> c.created == null ? Instant.MAX : c.created)
          .thenComparing(c -> c.override.resource());

  private PriceCompiler() {}

  /**
   * Compiles the prices.
   *
   * @param catalog the bundled catalog
   * @param resources the {@code ModelPrice} resources
   */
  public static PriceResult compile(PriceCatalog catalog, List<GenericKubernetesResource> resources) {
    return compile(catalog, resources, new TreeMap<>());
  }

  /**
   * Compiles the prices.
   *
   * @param catalog the bundled catalog
   * @param resources the {@code ModelPrice} resources
   * @param previous the prices published before (what the topic holds): the records of a resource that is now
   *     invalid stay in force, so a bad edit never silently reverts a negotiated price
   */
  public static PriceResult compile(
      PriceCatalog catalog, List<GenericKubernetesResource> resources, SortedMap<String, ModelPrice> previous) {
    requireNonNull(catalog, "catalog");
    requireNonNull(resources, "resources");
    requireNonNull(previous, "previous");
    List<ResourceStatus> statuses = new ArrayList<>();
    Map<String, List<Candidate>> byKey = new TreeMap<>();
    List<Invalid> invalid = new ArrayList<>();
    for (GenericKubernetesResource resource : resources) {
      @Nullable Long generation = Resources.generation(resource);
      try {
        PriceOverride override = PriceOverride.read(resource);
        byKey.computeIfAbsent(override.key(), k -> new ArrayList<>())
            .add(new Candidate(override, generation, Resources.created(resource).orElse(null)));
      } catch (InvalidSpecException e) {
        invalid.add(new Invalid(PriceOverride.ref(resource), generation, e.getMessage()));
      } catch (RuntimeException e) {
        log.debug("{} could not be compiled", Resources.describe(resource), e);
        invalid.add(new Invalid(PriceOverride.ref(resource), generation, "could not be compiled: "
            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
      }
    }

    SortedMap<String, ModelPrice> prices = new TreeMap<>(catalog.prices());
    int overrides = 0;
    for (Map.Entry<String, List<Candidate>> e : byKey.entrySet()) {
      List<Candidate> candidates = new ArrayList<>(e.getValue());
      candidates.sort(PRECEDENCE);
      Candidate winner = candidates.get(0);
      PriceOverride o = winner.override;
      String source = "override:" + o.resource().key();
      ModelPrice unversioned = new ModelPrice(ModelPrice.SCHEMA_VERSION, o.provider(), o.model(), o.rates(),
          o.tiers(), "", source);
      String version = catalog.version() + "+override-" + hash(unversioned);
      ModelPrice catalogPrice = prices.put(e.getKey(), new ModelPrice(ModelPrice.SCHEMA_VERSION, o.provider(),
          o.model(), o.rates(), o.tiers(), version, source));
      overrides++;
      statuses.add(status(o.resource(), winner.generation, true, Reasons.ACCEPTED, "prices " + e.getKey()
          + (catalogPrice == null ? " (a model the catalog has no price for)" : " (replaces the catalog's price)")));
      for (Candidate loser : candidates.subList(1, candidates.size())) {
        statuses.add(status(loser.override.resource(), loser.generation, false, CONFLICTED, "spec.provider, "
            + "spec.model: " + e.getKey() + " is already priced by ModelPrice " + o.resource().key()
            + ", which takes precedence (older, or first by namespace and name)"));
      }
    }
    for (Invalid bad : invalid) {
      String source = "override:" + bad.ref.key();
      String message = bad.message;
      for (ModelPrice kept : previous.values()) {
        ModelPrice current = prices.get(kept.key());
        boolean free = current == null || current.source().equals(PriceCatalog.SOURCE);
        if (kept.source().equals(source) && free) {
          prices.put(kept.key(), kept);
          overrides++;
          message = bad.message + "; " + KEPT;
        }
      }
      statuses.add(status(bad.ref, bad.generation, false, Reasons.INVALID, message));
    }
    statuses.sort(Comparator.comparing(ResourceStatus::resource));
    return new PriceResult(catalog.version(), prices, overrides, statuses);
  }

  private static ResourceStatus status(
      ObjectRef ref, @Nullable Long generation, boolean accepted, String reason, String message) {
    Condition condition = accepted
        ? Condition.holds(Types.ACCEPTED, reason, message, generation)
        : Condition.fails(Types.ACCEPTED, reason, message, generation);
    return ResourceStatus.of(ref, generation, List.of(condition));
  }

  /** The first 12 hex digits of the SHA-256 of the price's JSON (which is deterministic). */
  private static String hash(ModelPrice price) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.toBytes(price));
      return HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private record Candidate(PriceOverride override, @Nullable Long generation, @Nullable Instant created) {}

  private record Invalid(ObjectRef ref, @Nullable Long generation, String message) {}
}

package dev.tollway.usage.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.serde.JsonSerde;
import dev.tollway.schemas.usage.SpendDimensions;
import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.aggregate.UsageCounts;
import dev.tollway.usage.quota.Charge;
import dev.tollway.usage.quota.Subject;
import dev.tollway.usage.quota.WindowUsage;
import dev.tollway.usage.spend.SpendCounts;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The binary serdes of usage-streams' internal values and keys. Those whose data existed before in JSON read
 * that too (see {@link BinarySerde#readingLegacyJson(Deserializer)}).
 */
public final class InternalSerdes {

  /** A string on its own (a subject's key). */
  public static final BinarySerde<String> TEXT = BinarySerde.of("text", (text, out) -> out.writeString(text), BinaryReader::readString);

  /** Gateway, route, backend, provider and model. */
  public static final BinarySerde<UsageDimensions> USAGE_DIMENSIONS =
      BinarySerde.of(
          "usage dimensions",
          (dimensions, out) ->
              out.writeString(dimensions.gateway())
                  .writeString(dimensions.route())
                  .writeString(dimensions.backend())
                  .writeString(dimensions.provider())
                  .writeString(dimensions.model()),
          in -> new UsageDimensions(in.readString(), in.readString(), in.readString(), in.readString(), in.readString()));

  /**
   * Per-minute counts. The JSON read for older data is either counts (the minute store's changelog) or a whole
   * usage event (what the minute repartition topic carried before events were summed ahead of it).
   */
  public static final BinarySerde<UsageCounts> USAGE_COUNTS =
      BinarySerde.of(
              "usage counts",
              (counts, out) ->
                  out.writeLong(counts.requests())
                      .writeLong(counts.errors())
                      .writeLong(counts.inputTokens())
                      .writeLong(counts.cacheReadInputTokens())
                      .writeLong(counts.cacheCreationInputTokens())
                      .writeLong(counts.outputTokens())
                      .writeLong(counts.reasoningTokens())
                      .writeLong(counts.totalTokens()),
              in ->
                  new UsageCounts(
                      in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                      in.readLong(), in.readLong()))
          .readingLegacyJson(InternalSerdes::legacyUsageCounts);

  /** The spend group: key id and name, team, model, provider, route, gateway. */
  public static final BinarySerde<SpendDimensions> SPEND_DIMENSIONS =
      BinarySerde.of(
          "spend dimensions",
          (dimensions, out) ->
              out.writeString(dimensions.apiKeyId())
                  .writeString(dimensions.apiKeyName())
                  .writeString(dimensions.team())
                  .writeString(dimensions.model())
                  .writeString(dimensions.provider())
                  .writeString(dimensions.route())
                  .writeString(dimensions.gateway()),
          in ->
              new SpendDimensions(
                  in.readString(), in.readString(), in.readString(), in.readString(), in.readString(),
                  in.readString(), in.readString()));

  /** Daily spend counts. */
  public static final BinarySerde<SpendCounts> SPEND_COUNTS =
      BinarySerde.of(
              "spend counts",
              (counts, out) ->
                  out.writeString(counts.apiKeyName())
                      .writeLong(counts.requests())
                      .writeLong(counts.errors())
                      .writeLong(counts.inputTokens())
                      .writeLong(counts.cacheReadInputTokens())
                      .writeLong(counts.cacheCreationInputTokens())
                      .writeLong(counts.outputTokens())
                      .writeLong(counts.reasoningTokens())
                      .writeLong(counts.totalTokens())
                      .writeLong(counts.costNanoUsd())
                      .writeLong(counts.unpricedRequests())
                      .writeLong(counts.estimatedRequests()),
              in ->
                  new SpendCounts(
                      in.readString(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                      in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong()))
          .readingLegacyJson(JsonSerde.of(SpendCounts.class));

  /** A subject: its type and id. */
  public static final BinarySerde<Subject> SUBJECT =
      BinarySerde.of(
          "subject",
          (subject, out) -> out.writeLong(subject.type().ordinal()).writeString(subject.id()),
          in -> {
            Budget.SubjectType[] types = Budget.SubjectType.values();
            return new Subject(types[(int) in.readLong(0, types.length - 1)], in.readString());
          });

  /** What usage charged a subject. The JSON read for older data had one event per charge. */
  public static final BinarySerde<Charge> CHARGE =
      BinarySerde.of(
              "charge",
              (charge, out) -> {
                SUBJECT.encode(charge.subject(), out);
                out.writeLong(charge.tokens()).writeLong(charge.nanoUsd()).writeLong(charge.unpricedEvents());
              },
              in -> new Charge(SUBJECT.decode(in), in.readLong(), in.readLong(), in.readLong()))
          .readingLegacyJson(InternalSerdes::legacyCharge);

  /** A budget bucket's usage. */
  public static final BinarySerde<WindowUsage> WINDOW_USAGE =
      BinarySerde.of(
              "window usage",
              (usage, out) -> out.writeLong(usage.tokens()).writeLong(usage.nanoUsd()).writeLong(usage.unpricedEvents()),
              in -> new WindowUsage(in.readLong(), in.readLong(), in.readLong()))
          .readingLegacyJson(JsonSerde.of(WindowUsage.class));

  private InternalSerdes() {}

  private static UsageCounts legacyUsageCounts(String topic, byte[] json) {
    JsonNode tree = readTree(json, "usage counts");
    try {
      if (tree.has("eventId")) {
        return UsageCounts.of(Json.mapper().treeToValue(tree, UsageEvent.class));
      }
      return Json.mapper().treeToValue(tree, UsageCounts.class);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode usage counts from JSON: " + e.getMessage(), e);
    }
  }

  private static Charge legacyCharge(String topic, byte[] json) {
    JsonNode tree = readTree(json, "charge");
    try {
      Subject subject = Json.mapper().treeToValue(tree.required("subject"), Subject.class);
      return new Charge(
          subject,
          tree.required("tokens").asLong(),
          tree.required("nanoUsd").asLong(),
          tree.path("unpriced").asBoolean(false) ? 1 : 0);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode a charge from JSON: " + e.getMessage(), e);
    }
  }

  private static JsonNode readTree(byte[] json, String what) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new SerializationException("cannot decode " + what + " from JSON: " + e.getMessage(), e);
    }
  }
}

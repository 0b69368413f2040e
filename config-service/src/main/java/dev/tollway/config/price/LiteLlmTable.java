package dev.tollway.config.price;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.price.ModelPrice.PriceTier;
import dev.tollway.schemas.price.TokenRates;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts LiteLLM's {@code model_prices_and_context_window.json} (MIT licence, see {@code NOTICE}) into
 * {@link ModelPrice}s. Pure and deterministic: the same bytes give the same catalog.
 *
 * <p>The rules (documented in the README):
 *
 * <ul>
 *   <li>Only entries of Tollway's providers ({@link ProviderNames#fromLiteLlm}) in mode {@code chat},
 *       {@code completion} or {@code responses}, with both {@code input_cost_per_token} and
 *       {@code output_cost_per_token}.
 *   <li>The model is the entry's name without LiteLLM's routing prefix ({@code gemini/}, {@code vertex_ai/},
 *       {@code bedrock/}, {@code azure/}, ...). A name still qualified after that ({@code azure/eu/gpt-4o},
 *       {@code bedrock/us-east-1/...}, {@code anthropic}'s {@code fast/} and {@code us/}) is left out: the
 *       provider's answers do not carry the qualifier. Vertex AI keeps publisher paths
 *       ({@code meta/llama-3.1-405b-instruct-maas}), which are its model ids.
 *   <li>Rates: {@code input_cost_per_token}, {@code output_cost_per_token}, {@code cache_read_input_token_cost},
 *       {@code cache_creation_input_token_cost}, {@code output_cost_per_reasoning_token}, read as decimals and
 *       multiplied by 10^15 exactly. Each {@code _above_<N>k_tokens} variant makes a tier above N×1000 input
 *       tokens; a tier without its own cache rates keeps the base ones, a tier without a reasoning rate
 *       prices reasoning at the tier's output rate.
 *   <li>Entries that land on the same provider and model collapse into one when their prices agree (a missing
 *       reasoning rate agreeing with an equal output rate); when they disagree, none is kept.
 * </ul>
 */
public final class LiteLlmTable {

  /** The bundled table, a verbatim copy of LiteLLM's file. */
  public static final String RESOURCE = "dev/tollway/config/price/model_prices_and_context_window.json";

  private static final Logger log = LoggerFactory.getLogger(LiteLlmTable.class);

  private static final Set<String> MODES = Set.of("chat", "completion", "responses");
  private static final String INPUT = "input_cost_per_token";
  private static final String OUTPUT = "output_cost_per_token";
  private static final String CACHE_READ = "cache_read_input_token_cost";
  private static final String CACHE_WRITE = "cache_creation_input_token_cost";
  private static final String REASONING = "output_cost_per_reasoning_token";
  private static final Pattern TIER = Pattern.compile(
      "(" + INPUT + "|" + OUTPUT + "|" + CACHE_READ + "|" + CACHE_WRITE + "|" + REASONING
          + ")_above_([0-9]{1,6})k_tokens");
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  private LiteLlmTable() {}

  /** The bundled table's catalog, converted once and kept. */
  public static PriceCatalog bundled() {
    return Bundled.CATALOG;
  }

  /**
   * Converts a table.
   *
   * @throws IllegalArgumentException when the bytes are not a JSON object
   */
  public static PriceCatalog convert(byte[] table) {
    requireNonNull(table, "table");
    JsonNode root;
    try {
      root = MAPPER.readTree(table);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a LiteLLM price table: " + firstLine(e), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a LiteLLM price table (expected: a JSON object of models)");
    }
    SortedMap<String, JsonNode> entries = new TreeMap<>();
    root.properties().forEach(e -> entries.put(e.getKey(), e.getValue()));

    List<PriceCatalog.Skipped> skipped = new ArrayList<>();
    SortedMap<String, List<Candidate>> byKey = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
      String name = e.getKey();
      JsonNode entry = e.getValue();
      Optional<String> provider = Optional.ofNullable(entry.path("litellm_provider").textValue())
          .flatMap(ProviderNames::fromLiteLlm);
      if (provider.isEmpty()) {
        continue;
      }
      String mode = entry.path("mode").textValue();
      if (mode == null || !MODES.contains(mode)) {
        skipped.add(new PriceCatalog.Skipped(name, "mode " + mode + " (expected: chat, completion or responses)"));
        continue;
      }
      try {
        Candidate candidate = candidate(name, provider.get(), entry);
        byKey.computeIfAbsent(ModelPrice.key(candidate.provider, candidate.model), k -> new ArrayList<>())
            .add(candidate);
      } catch (IllegalArgumentException ex) {
        skipped.add(new PriceCatalog.Skipped(name, ex.getMessage()));
      }
    }

    String version = version(table);
    SortedMap<String, ModelPrice> prices = new TreeMap<>();
    for (Map.Entry<String, List<Candidate>> e : byKey.entrySet()) {
      List<Candidate> candidates = e.getValue();
      Candidate first = candidates.get(0);
      if (candidates.stream().allMatch(c -> c.agreesWith(first))) {
        prices.put(e.getKey(), new ModelPrice(ModelPrice.SCHEMA_VERSION, first.provider, first.model, first.rates,
            first.tiers, version, PriceCatalog.SOURCE));
      } else {
        String names = candidates.stream().map(c -> c.entry).collect(Collectors.joining(", "));
        for (Candidate c : candidates) {
          skipped.add(new PriceCatalog.Skipped(c.entry,
              "ambiguous: " + names + " all price " + e.getKey() + ", differently"));
        }
      }
    }
    skipped.sort((a, b) -> a.entry().compareTo(b.entry()));
    return new PriceCatalog(version, entries.size(), prices, skipped);
  }

  /** {@code litellm-} and the first 12 hex digits of the table's SHA-256. */
  static String version(byte[] table) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(table);
      return "litellm-" + HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static Candidate candidate(String entry, String provider, JsonNode node) {
    String model = model(entry, provider);
    TokenRates base = rates(node, "", null);
    SortedSet<Long> thresholds = new TreeSet<>();
    node.fieldNames().forEachRemaining(field -> {
      Matcher m = TIER.matcher(field);
      if (m.matches()) {
        thresholds.add(Long.parseLong(m.group(2)));
      }
    });
    List<PriceTier> tiers = new ArrayList<>();
    for (long thousands : thresholds) {
      tiers.add(new PriceTier(thousands * 1000, rates(node, "_above_" + thousands + "k_tokens", base)));
    }
    return new Candidate(entry, provider, model, base, tiers);
  }

  /** The entry's name without the provider's routing prefix; refused when still qualified. */
  private static String model(String entry, String provider) {
    String model = entry;
    for (String prefix : ProviderNames.liteLlmPrefixes(provider)) {
      if (model.startsWith(prefix)) {
        model = model.substring(prefix.length());
        break;
      }
    }
    if (model.isBlank()) {
      throw new IllegalArgumentException("no model name after the provider prefix");
    }
    int slash = model.indexOf('/');
    if (slash >= 0 && !provider.equals(ProviderNames.VERTEX_AI)) {
      throw new IllegalArgumentException("qualified by \"" + model.substring(0, slash + 1) + "\" (a region, "
          + "commitment, deployment type or mode that the provider's answers do not name)");
    }
    return model;
  }

  /** The rates of the base ({@code suffix} empty) or of one tier, which inherits the base's cache rates. */
  private static TokenRates rates(JsonNode node, String suffix, @Nullable TokenRates base) {
    long input = required(node, INPUT + suffix);
    long output = required(node, OUTPUT + suffix);
    Long cacheRead = optional(node, CACHE_READ + suffix);
    Long cacheWrite = optional(node, CACHE_WRITE + suffix);
    Long reasoning = optional(node, REASONING + suffix);
    if (base != null) {
      cacheRead = cacheRead != null ? cacheRead : base.cacheRead();
      cacheWrite = cacheWrite != null ? cacheWrite : base.cacheWrite();
    }
    return new TokenRates(input, output, cacheRead, cacheWrite, reasoning);
  }

  private static long required(JsonNode node, String field) {
    Long value = optional(node, field);
    if (value == null) {
      throw new IllegalArgumentException(field + ": missing (expected: a price per token)");
    }
    return value;
  }

  private static @Nullable Long optional(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: a number)");
    }
    BigDecimal usdPerToken = value.decimalValue();
    try {
      return NanoUsd.perMillionTokensFromUsdPerToken(usdPerToken);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  private static String firstLine(IOException e) {
    String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** One entry's price before entries naming the same model are reconciled. */
  private record Candidate(String entry, String provider, String model, TokenRates rates, List<PriceTier> tiers) {

    /** Same prices, a missing reasoning rate being the output rate. */
    boolean agreesWith(Candidate other) {
      if (!effective(rates).equals(effective(other.rates)) || tiers.size() != other.tiers.size()) {
        return false;
      }
      for (int i = 0; i < tiers.size(); i++) {
        PriceTier a = tiers.get(i);
        PriceTier b = other.tiers.get(i);
        if (a.aboveInputTokens() != b.aboveInputTokens() || !effective(a.rates()).equals(effective(b.rates()))) {
          return false;
        }
      }
      return true;
    }

    private static TokenRates effective(TokenRates r) {
      return new TokenRates(r.input(), r.output(), r.cacheRead(), r.cacheWrite(),
          r.reasoning() == null ? r.output() : r.reasoning());
    }
  }

  /** Loaded on first use. */
  private static final class Bundled {
    static final PriceCatalog CATALOG = load();

    private static PriceCatalog load() {
      byte[] table;
      try (InputStream in = LiteLlmTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("the bundled price table " + RESOURCE + " is missing from the classpath");
        }
        table = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the bundled price table " + RESOURCE, e);
      }
      PriceCatalog catalog = convert(table);
      Map<String, Long> reasons = catalog.skipped().stream()
          .collect(Collectors.groupingBy(s -> reasonKind(s.reason()), TreeMap::new, Collectors.counting()));
      log.info("price catalog {}: {} prices from {} table entries; left out: {}", catalog.version(),
          catalog.prices().size(), catalog.entries(), reasons);
      catalog.skipped().forEach(s -> log.debug("price catalog: {} left out: {}", s.entry(), s.reason()));
      return catalog;
    }

    private static String reasonKind(String reason) {
      if (reason.startsWith("mode ")) {
        return "not a chat or completion model";
      } else if (reason.startsWith("qualified ")) {
        return "qualified name";
      } else if (reason.startsWith("ambiguous")) {
        return "ambiguous";
      }
      return "no usable token price";
    }
  }
}

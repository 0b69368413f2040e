package dev.tollway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.tollway.config.budget.BudgetCompiler;
import dev.tollway.config.model.InvalidSpecException;
import dev.tollway.config.price.PriceOverride;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/charts/tollway-crds: Tollway's own Budget and ModelPrice (whose schemas must take what config-service
 * reads), and whatever other CRDs the chart holds.
 */
class CrdsChartTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

  private static final List<HasMetadata> RENDERED = Charts.render(Charts.CRDS, "");

  @Test
  void shouldRenderOnlyCustomResourceDefinitionsAmongThemBudgetAndModelPrice() {
    // Then (every document parsed strictly into fabric8's apiextensions model)
    assertThat(RENDERED).isNotEmpty().allSatisfy(crd -> assertThat(crd).isInstanceOf(CustomResourceDefinition.class));
    assertThat(RENDERED).extracting(crd -> crd.getMetadata().getName())
        .contains("budgets.tollway.dev", "modelprices.tollway.dev")
        .doesNotHaveDuplicates();
  }

  @Test
  void shouldDefineBudgetAsANamespacedTollwayDevV1alpha1KindWithStatusAndUsefulColumns() {
    // When
    CustomResourceDefinition budget = Charts.one(RENDERED, CustomResourceDefinition.class, "budgets.tollway.dev");

    // Then
    assertThat(budget.getSpec().getGroup()).isEqualTo("tollway.dev");
    assertThat(budget.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(budget.getSpec().getNames().getKind()).isEqualTo("Budget");
    assertThat(budget.getSpec().getNames().getCategories()).contains("tollway");
    CustomResourceDefinitionVersion version = onlyVersion(budget);
    assertThat(version.getSubresources().getStatus()).isNotNull();
    assertThat(version.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Team", "Key", "Route", "Window", "USD", "Tokens", "Accepted", "Age");
  }

  @Test
  void shouldDefineModelPriceAsANamespacedTollwayDevV1alpha1KindWithStatusAndUsefulColumns() {
    // When
    CustomResourceDefinition price = Charts.one(RENDERED, CustomResourceDefinition.class, "modelprices.tollway.dev");

    // Then
    assertThat(price.getSpec().getGroup()).isEqualTo("tollway.dev");
    assertThat(price.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(price.getSpec().getNames().getKind()).isEqualTo("ModelPrice");
    CustomResourceDefinitionVersion version = onlyVersion(price);
    assertThat(version.getSubresources().getStatus()).isNotNull();
    assertThat(version.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Provider", "Model", "Input", "Output", "Cache Read", "Accepted", "Age");
  }

  @Test
  void shouldPointEveryPrinterColumnAtAFieldOfTheSchema() {
    for (HasMetadata resource : RENDERED) {
      for (CustomResourceDefinitionVersion version : ((CustomResourceDefinition) resource).getSpec().getVersions()) {
        for (CustomResourceColumnDefinition column : version.getAdditionalPrinterColumns()) {
          String path = column.getJsonPath().replaceAll("\\[\\?\\(.*?\\)\\]|\\[\\*\\]", "[]");
          assertThat(resolves(version.getSchema().getOpenAPIV3Schema(), path))
              .as(resource.getMetadata().getName() + " column " + column.getName() + " " + column.getJsonPath())
              .isTrue();
        }
      }
    }
  }

  @Test
  void shouldHaveStructuralSchemasAsTheApiServerRequires() {
    for (HasMetadata resource : RENDERED) {
      for (CustomResourceDefinitionVersion version : ((CustomResourceDefinition) resource).getSpec().getVersions()) {
        List<String> problems = new ArrayList<>();
        structural(version.getSchema().getOpenAPIV3Schema(), "", null, problems);
        assertThat(problems).as(resource.getMetadata().getName() + " " + version.getName()).isEmpty();
      }
    }
  }

  /** The commented examples of examples/metering/, which config-service's own tests read. */
  static Stream<Arguments> examples() {
    return Stream.of("budget.yaml", "model-price.yaml").flatMap(file -> {
      String yaml = Charts.read(Charts.ROOT.resolve("examples/metering").resolve(file));
      return Stream.of(yaml.split("(?m)^---\\s*$")).map(document -> Arguments.of(file, document));
    });
  }

  @ParameterizedTest
  @MethodSource("examples")
  void shouldAcceptTheExamplesAsConfigServiceDoes(String file, String document) {
    // Then the API server would take them (schema), and config-service reads them
    assertThat(validate(document)).as(file + ":\n" + document).isEmpty();
    assertThat(configServiceReads(document)).as(file + ":\n" + document).isNull();
  }

  private static final String BUDGET = """
      apiVersion: tollway.dev/v1alpha1
      kind: Budget
      metadata: {name: b, namespace: default}
      spec:
        subject: SUBJECT
        window: WINDOW
        limit: LIMIT
      """;
  private static final String PRICE = """
      apiVersion: tollway.dev/v1alpha1
      kind: ModelPrice
      metadata: {name: p, namespace: default}
      spec:
        provider: PROVIDER
        model: MODEL
        RATES
      """;

  static Stream<Arguments> resources() {
    String team = "{team: research}";
    String usd = "{usd: \"10\"}";
    String rates = "input: \"1\"\n  output: \"2.5\"";
    return Stream.of(
        // valid: the base of the cases below, and a few more shapes
        Arguments.of(true, "a team per calendar day", budget(team, "Day", usd) + "  timeZone: Europe/Paris\n"),
        Arguments.of(true, "each team", budget("{team: \"*\"}", "Month", usd)),
        Arguments.of(true, "a key of another namespace", budget("{apiKey: other/keys/alice}", "Hour", "{tokens: 200000}")),
        Arguments.of(true, "a route", budget("{route: llm-route}", "Minute", "{usd: 5}")),
        Arguments.of(true, "a price", price("openai", "gpt-4.1-mini", rates)),
        Arguments.of(true, "a price with a tier", price("gcp.gemini", "gemini-2.5-pro", rates
            + "\n  tiers: [{aboveInputTokens: 200000, input: \"2.5\", output: 15}]")),
        // invalid: one thing wrong each
        Arguments.of(false, "two subjects", budget("{team: research, apiKey: keys/alice}", "Day", usd)),
        Arguments.of(false, "no subject", budget("{}", "Day", usd)),
        Arguments.of(false, "a key without its entry", budget("{apiKey: alice}", "Day", usd)),
        Arguments.of(false, "dollars and tokens", budget(team, "Day", "{usd: \"10\", tokens: 5}")),
        Arguments.of(false, "no limit", budget(team, "Day", "{}")),
        Arguments.of(false, "dollars in words", budget(team, "Day", "{usd: ten}")),
        Arguments.of(false, "ten decimals", budget(team, "Day", "{usd: \"0.0000000001\"}")),
        Arguments.of(false, "a week", budget(team, "Week", usd)),
        Arguments.of(false, "a time zone on a rolling window", budget(team, "Hour", usd) + "  timeZone: Europe/Paris\n"),
        Arguments.of(false, "a misspelt field", budget(team, "Day", usd) + "  timezone: Europe/Paris\n"),
        Arguments.of(false, "a LiteLLM provider name", price("gemini", "gemini-2.5-pro", rates)),
        Arguments.of(false, "a model with a space", price("openai", "\"gpt 4\"", rates)),
        Arguments.of(false, "no output price", price("openai", "m", "input: \"1\"")),
        Arguments.of(false, "a price in words", price("openai", "m", "input: three\n  output: \"2\"")),
        Arguments.of(false, "a negative price", price("openai", "m", "input: \"-1\"\n  output: \"2\"")),
        Arguments.of(false, "a misspelt rate", price("openai", "m", rates + "\n  cachedRead: \"0.1\"")),
        Arguments.of(false, "a tier without a threshold", price("openai", "m", rates + "\n  tiers: [{input: \"1\", output: \"2\"}]")));
  }

  /**
   * The CRD's schema (what the API server enforces) and config-service's reader agree: both accept the valid
   * resources and both refuse the invalid ones. (They differ where a schema cannot say it: a time zone that
   * is not in the IANA database is refused by config-service only; a dollar amount written as a YAML float,
   * which config-service takes, is refused by the API server: write decimals as strings.)
   */
  @ParameterizedTest(name = "{1}")
  @MethodSource("resources")
  void shouldAgreeWithConfigServiceOnWhatIsValid(boolean valid, String what, String document) {
    // When
    List<Error> schemaErrors = validate(document);
    String configServiceError = configServiceReads(document);

    // Then
    if (valid) {
      assertThat(schemaErrors).as("schema: " + what).isEmpty();
      assertThat(configServiceError).as("config-service: " + what).isNull();
    } else {
      assertThat(schemaErrors).as("schema: " + what).isNotEmpty();
      assertThat(configServiceError).as("config-service: " + what).isNotNull();
    }
  }

  private static String budget(String subject, String window, String limit) {
    return BUDGET.replace("SUBJECT", subject).replace("WINDOW", window).replace("LIMIT", limit);
  }

  private static String price(String provider, String model, String rates) {
    return PRICE.replace("PROVIDER", provider).replace("MODEL", model).replace("RATES", rates);
  }

  /** What config-service says reading the resource: null if it accepts it, else its message. */
  private static @Nullable String configServiceReads(String document) {
    GenericKubernetesResource resource = Serialization.unmarshal(document, GenericKubernetesResource.class);
    try {
      if (resource.getKind().equals("Budget")) {
        BudgetCompiler.read(resource);
      } else {
        PriceOverride.read(resource);
      }
      return null;
    } catch (InvalidSpecException e) {
      return e.getMessage();
    }
  }

  /** Validates a Budget or ModelPrice against the openAPIV3Schema of its CRD, as JSON Schema (draft 4). */
  private static List<Error> validate(String document) {
    Map<?, ?> object = Serialization.unmarshal(document, Map.class);
    String kind = String.valueOf(object.get("kind"));
    CustomResourceDefinition crd = RENDERED.stream().map(CustomResourceDefinition.class::cast)
        .filter(c -> c.getSpec().getNames().getKind().equals(kind)).findFirst().orElseThrow();
    assertThat(object.get("apiVersion")).isEqualTo(crd.getSpec().getGroup() + "/" + onlyVersion(crd).getName());
    JsonNode schemaNode = JSON.valueToTree(Serialization.unmarshal(
        Serialization.asJson(onlyVersion(crd).getSchema().getOpenAPIV3Schema()), Map.class));
    Schema schema = REGISTRY.getSchema(strictFields(schemaNode));
    return schema.validate(JSON.valueToTree(object));
  }

  /**
   * Refuses fields the schema does not name, as the API server does for {@code kubectl apply} (strict field
   * validation, the default since Kubernetes 1.27) where JSON Schema would let them through. Junctors are left
   * as they are: they only constrain fields named outside them.
   */
  private static JsonNode strictFields(JsonNode schema) {
    if (schema instanceof com.fasterxml.jackson.databind.node.ObjectNode node) {
      JsonNode properties = node.get("properties");
      if (properties != null && properties.isObject() && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
        node.put("additionalProperties", false);
        properties.forEach(CrdsChartTest::strictFields);
      }
      if (node.has("items")) {
        strictFields(node.get("items"));
      }
    }
    return schema;
  }

  private static CustomResourceDefinitionVersion onlyVersion(CustomResourceDefinition crd) {
    assertThat(crd.getSpec().getVersions()).hasSize(1);
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
    assertThat(version.getName()).isEqualTo("v1alpha1");
    assertThat(version.getServed()).isTrue();
    assertThat(version.getStorage()).isTrue();
    return version;
  }

  private static final Pattern SEGMENT = Pattern.compile("^\\.(\\*|[A-Za-z0-9_-]+)(\\[\\])?");

  /**
   * Whether a printer column path such as {@code .status.conditions[].status} (filters already reduced to
   * {@code []}) names a field of the schema; {@code .*} stands for any property, as in Kubernetes' JSONPath.
   */
  private static boolean resolves(JSONSchemaProps schema, String path) {
    if (path.equals(".metadata.creationTimestamp")) {
      return true;
    }
    return resolvesFrom(schema, path);
  }

  private static boolean resolvesFrom(@Nullable JSONSchemaProps node, String path) {
    if (node == null) {
      return false;
    }
    if (path.isEmpty()) {
      return true;
    }
    var matcher = SEGMENT.matcher(path);
    if (!matcher.find()) {
      return false;
    }
    String rest = path.substring(matcher.end());
    boolean array = matcher.group(2) != null;
    List<JSONSchemaProps> children = new ArrayList<>();
    if (node.getProperties() != null) {
      if (matcher.group(1).equals("*")) {
        children.addAll(node.getProperties().values());
      } else if (node.getProperties().containsKey(matcher.group(1))) {
        children.add(node.getProperties().get(matcher.group(1)));
      }
    }
    for (JSONSchemaProps child : children) {
      if (array) {
        if ("array".equals(child.getType()) && resolvesFrom(child.getItems().getSchema(), rest)) {
          return true;
        }
      } else if (resolvesFrom(child, rest)) {
        return true;
      }
    }
    return false;
  }

  private static JSONSchemaProps ownerField(JSONSchemaProps owner, String name) {
    JSONSchemaProps field = owner.getProperties() == null ? null : owner.getProperties().get(name);
    return field != null ? field : new JSONSchemaProps();
  }

  private static JSONSchemaProps ownerItems(JSONSchemaProps owner) {
    return owner.getItems() != null && owner.getItems().getSchema() != null
        ? owner.getItems().getSchema() : new JSONSchemaProps();
  }

  /**
   * The rules of a structural schema (Kubernetes docs, "Specifying a structural schema"): every field has a type
   * (except int-or-string and preserve-unknown-fields); inside allOf / anyOf / oneOf / not, no type, description,
   * default, additionalProperties or nullable, and no field that is not also specified outside.
   */
  private static void structural(
      JSONSchemaProps node, String path, @Nullable JSONSchemaProps junctorOwner, List<String> problems) {
    boolean inJunctor = junctorOwner != null;
    boolean intOrString = Boolean.TRUE.equals(node.getXKubernetesIntOrString());
    boolean preserve = Boolean.TRUE.equals(node.getXKubernetesPreserveUnknownFields());
    if (inJunctor) {
      // the one exception: int-or-string written as anyOf: [{type: integer}, {type: string}]
      boolean intOrStringBranch = Boolean.TRUE.equals(junctorOwner.getXKubernetesIntOrString())
          && ("integer".equals(node.getType()) || "string".equals(node.getType()))
          && node.getDescription() == null && node.getDefault() == null;
      if ((node.getType() != null && !intOrStringBranch) || node.getDescription() != null || node.getDefault() != null
          || node.getAdditionalProperties() != null || node.getNullable() != null) {
        problems.add(path + ": type, description, default, additionalProperties or nullable inside a junctor");
      }
    } else if (node.getType() == null && !intOrString && !preserve) {
      problems.add(path + ": no type");
    }
    if (node.getProperties() != null) {
      node.getProperties().forEach((name, child) -> structural(child, path + "." + name,
          inJunctor ? ownerField(junctorOwner, name) : null, problems));
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      structural(node.getItems().getSchema(), path + "[]",
          inJunctor ? ownerItems(junctorOwner) : null, problems);
    }
    List<JSONSchemaProps> junctors = new ArrayList<>();
    junctors.addAll(node.getAllOf());
    junctors.addAll(node.getAnyOf());
    junctors.addAll(node.getOneOf());
    if (node.getNot() != null) {
      junctors.add(node.getNot());
    }
    // a junctor constrains the fields of the schema it sits in (inside another junctor: that one's owner)
    JSONSchemaProps owner = inJunctor ? junctorOwner : node;
    for (JSONSchemaProps junctor : junctors) {
      structural(junctor, path + "(junctor)", owner, problems);
      if (junctor.getProperties() != null) {
        junctor.getProperties().keySet().stream()
            .filter(name -> owner.getProperties() == null || !owner.getProperties().containsKey(name))
            .forEach(name -> problems.add(path + "." + name + ": only specified inside a junctor"));
      }
      if (junctor.getRequired() != null) {
        junctor.getRequired().stream()
            .filter(name -> owner.getProperties() == null || !owner.getProperties().containsKey(name))
            .forEach(name -> problems.add(path + "." + name + ": required inside a junctor but not a field"));
      }
    }
  }

}

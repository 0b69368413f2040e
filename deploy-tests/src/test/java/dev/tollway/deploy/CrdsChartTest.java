package dev.tollway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
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

/** deploy/charts/tollway-crds: Tollway's own Budget and ModelPrice, and whatever CRDs the chart holds. */
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
        .containsExactly("Key", "Team", "Route", "Period", "USD", "Tokens", "Used", "Exceeded", "Accepted", "Age");
  }

  @Test
  void shouldDefineModelPriceAsAClusterWideTollwayDevV1alpha1KindWithStatusAndUsefulColumns() {
    // When
    CustomResourceDefinition price = Charts.one(RENDERED, CustomResourceDefinition.class, "modelprices.tollway.dev");

    // Then
    assertThat(price.getSpec().getGroup()).isEqualTo("tollway.dev");
    assertThat(price.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(price.getSpec().getNames().getKind()).isEqualTo("ModelPrice");
    CustomResourceDefinitionVersion version = onlyVersion(price);
    assertThat(version.getSubresources().getStatus()).isNotNull();
    assertThat(version.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Provider", "Model", "Input", "Output", "Cached", "Accepted", "Age");
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

  static Stream<Arguments> examples() {
    return Stream.of("budgets.yaml", "model-prices.yaml").flatMap(file -> {
      String yaml = Charts.read(Charts.EXAMPLES.resolve(file));
      return Stream.of(yaml.split("(?m)^---\\s*$")).map(document -> Arguments.of(file, document));
    });
  }

  @ParameterizedTest
  @MethodSource("examples")
  void shouldAcceptTheDocumentedExamples(String file, String document) {
    assertThat(validate(document)).as(file + ":\n" + document).isEmpty();
  }

  static Stream<Arguments> invalidResources() {
    String budget = """
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: b, namespace: default}
        spec:
          subject: SUBJECT
          limit: LIMIT
          window: WINDOW
        """;
    String price = """
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: p}
        spec:
          provider: PROVIDER
          model: m
          prices: PRICES
        """;
    String team = "{team: research}";
    String usd = "{usd: \"10\"}";
    String month = "{period: Month}";
    return Stream.of(
        Arguments.of(null, budget.replace("SUBJECT", team).replace("LIMIT", usd).replace("WINDOW", "{period: Day, timeZone: UTC}")),
        Arguments.of(null, price.replace("PROVIDER", "openai").replace("PRICES", "{input: \"1\", output: \"2.5\"}")),
        Arguments.of("two subjects", budget.replace("SUBJECT", "{team: research, apiKey: {name: k}}").replace("LIMIT", usd).replace("WINDOW", month)),
        Arguments.of("no subject", budget.replace("SUBJECT", "{}").replace("LIMIT", usd).replace("WINDOW", month)),
        Arguments.of("dollars and tokens", budget.replace("SUBJECT", team).replace("LIMIT", "{usd: \"10\", tokens: 5}").replace("WINDOW", month)),
        Arguments.of("dollars as a float", budget.replace("SUBJECT", team).replace("LIMIT", "{usd: \"1e3\"}").replace("WINDOW", month)),
        Arguments.of("zero tokens", budget.replace("SUBJECT", team).replace("LIMIT", "{tokens: 0}").replace("WINDOW", month)),
        Arguments.of("a week", budget.replace("SUBJECT", team).replace("LIMIT", usd).replace("WINDOW", "{period: Week}")),
        Arguments.of("a time zone on a rolling window", budget.replace("SUBJECT", team).replace("LIMIT", usd).replace("WINDOW", "{period: Hour, timeZone: Europe/Berlin}")),
        Arguments.of("a route name that is not a Kubernetes name", budget.replace("SUBJECT", "{route: {name: Llm_Route}}").replace("LIMIT", usd).replace("WINDOW", month)),
        Arguments.of("an unknown provider", price.replace("PROVIDER", "acme").replace("PRICES", "{input: \"1\", output: \"2\"}")),
        Arguments.of("a price in words", price.replace("PROVIDER", "openai").replace("PRICES", "{input: three, output: \"2\"}")),
        Arguments.of("no output price", price.replace("PROVIDER", "openai").replace("PRICES", "{input: \"1\"}")));
  }

  /** Each invalid resource differs from a valid one (the null cases, which must pass) in one place. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidResources")
  void shouldRejectInvalidResources(@Nullable String what, String document) {
    if (what == null) {
      assertThat(validate(document)).as("the valid base of the cases").isEmpty();
    } else {
      assertThat(validate(document)).as(what).isNotEmpty();
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
    Schema schema = REGISTRY.getSchema(schemaNode);
    return schema.validate(JSON.valueToTree(object));
  }

  private static CustomResourceDefinitionVersion onlyVersion(CustomResourceDefinition crd) {
    assertThat(crd.getSpec().getVersions()).hasSize(1);
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
    assertThat(version.getName()).isEqualTo("v1alpha1");
    assertThat(version.getServed()).isTrue();
    assertThat(version.getStorage()).isTrue();
    return version;
  }

  private static final Pattern SEGMENT = Pattern.compile("\\.([A-Za-z0-9]+)(\\[\\])?");

  /** Whether a printer column path such as {@code .status.conditions[].status} names a field of the schema. */
  private static boolean resolves(JSONSchemaProps schema, String path) {
    if (path.equals(".metadata.creationTimestamp")) {
      return true;
    }
    JSONSchemaProps node = schema;
    var matcher = SEGMENT.matcher(path);
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      end = matcher.end();
      node = node.getProperties() == null ? null : node.getProperties().get(matcher.group(1));
      if (node == null) {
        return false;
      }
      if (matcher.group(2) != null) {
        if (!"array".equals(node.getType())) {
          return false;
        }
        node = node.getItems().getSchema();
      }
    }
    return end == path.length();
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

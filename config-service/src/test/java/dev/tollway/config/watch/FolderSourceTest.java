package dev.tollway.config.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollway.config.Manifests;
import dev.tollway.config.model.ClusterState;
import dev.tollway.config.snapshot.CompileResult;
import dev.tollway.config.snapshot.SnapshotCompiler;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderSourceTest {

  @TempDir
  Path dir;

  private static final String GATEWAY = Manifests.text("seed/01-gateway.yaml");

  private void write(String relative, String text) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private SourceState read(Map<String, String> env) throws IOException {
    try (FolderSource source = new FolderSource(dir, env)) {
      return source.read();
    }
  }

  @Test
  void shouldReadMultiDocumentFilesInSubfoldersAndSkipOtherFiles() throws IOException {
    // Given YAML, YML and JSON files at several depths, plus files that are not manifests
    write("01-gateway.yaml", GATEWAY);
    write("llm/deeper/backend.yml", "---\n" + Manifests.text("seed/llm/gemini/02-backend-gemini.yaml")
        + "\n---\n# only a comment\n---\n" + Manifests.text("seed/secrets.yaml") + "\n...\n");
    write("extra/list.json", """
        {"apiVersion": "v1", "kind": "List", "items": [
          {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}}]}
        """);
    write("notes.txt", "kind: Gateway");
    write(".hidden/ignored.yaml", GATEWAY.replace("name: agentgateway", "name: hidden"));
    write(".editor-swap.yaml", GATEWAY.replace("name: agentgateway", "name: swap"));

    // When
    SourceState read = read(Map.of());

    // Then
    ClusterState state = read.state();
    assertThat(read.problems()).isEmpty();
    assertThat(state.gateways()).extracting(g -> g.getMetadata().getName()).containsExactly("agentgateway");
    assertThat(state.agentgatewayBackends()).extracting(b -> b.getMetadata().getName()).containsExactly("gemini");
    assertThat(state.secrets()).extracting(s -> s.getMetadata().getName())
        .containsExactly("anthropic-secret", "gemini-secret");
    assertThat(state.namespaces()).extracting(n -> n.getMetadata().getName()).containsExactly("team");
  }

  @Test
  void shouldExpandEnvironmentVariablesAndReportTheUnsetOnes() throws IOException {
    // Given
    write("secret.yaml", """
        apiVersion: v1
        kind: Secret
        metadata:
          name: gemini-secret
        stringData:
          Authorization: ${GEMINI_API_KEY}
          literal: $${GEMINI_API_KEY}
          unset: "prefix-${NOT_SET}"
        """);

    // When
    SourceState read = read(Map.of("GEMINI_API_KEY", "AIza-test"));

    // Then
    Secret secret = read.state().secrets().get(0);
    assertThat(secret.getStringData()).containsEntry("Authorization", "AIza-test")
        .containsEntry("literal", "${GEMINI_API_KEY}")
        .containsEntry("unset", "prefix-");
    assertThat(read.problems()).containsExactly(new SourceProblem("secret.yaml#0",
        "environment variable NOT_SET is not set; ${NOT_SET} expands to an empty value"));
  }

  @Test
  void shouldLetALaterDocumentReplaceAnEarlierOneWithTheSameName() throws IOException {
    // Given the tutorial's 03 and 04, both HTTPRoute default/llm-route
    write("llm/03-httproute.yaml", Manifests.text("seed/llm/03-httproute.yaml"));
    write("llm/04-httproute-gemini.yaml", Manifests.text("seed/llm/04-httproute-gemini.yaml"));

    // When
    ClusterState state = read(Map.of()).state();

    // Then
    assertThat(state.httpRoutes()).singleElement().satisfies(r ->
        assertThat(r.getSpec().getRules().get(0).getMatches().get(0).getPath().getValue()).isEqualTo("/ai/gemini"));
  }

  @Test
  void shouldForgetTheResourcesOfADeletedFile() throws IOException {
    // Given
    write("01-gateway.yaml", GATEWAY);
    write("llm/03-httproute.yaml", Manifests.text("seed/llm/03-httproute.yaml"));
    assertThat(read(Map.of()).state().httpRoutes()).hasSize(1);

    // When
    Files.delete(dir.resolve("llm/03-httproute.yaml"));

    // Then
    assertThat(read(Map.of()).state().httpRoutes()).isEmpty();
    assertThat(read(Map.of()).state().gateways()).hasSize(1);
  }

  @Test
  void shouldReportAndSkipDocumentsThatDoNotParse() throws IOException {
    // Given a file whose second and third documents are broken, and a fourth without a name
    write("mixed.yaml", GATEWAY + """

        ---
        kind: [unclosed
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: bad-port}
        spec:
          listeners: [{name: x, protocol: HTTP, port: eighty}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {labels: {a: b}}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: s}
        data: {k: [not, a, string]}
        """);

    // When
    SourceState read = read(Map.of());

    // Then the good document is read and each broken one is reported with its location
    assertThat(read.state().gateways()).extracting(g -> g.getMetadata().getName()).containsExactly("agentgateway");
    assertThat(read.problems()).extracting(SourceProblem::location)
        .containsExactly("mixed.yaml#1", "mixed.yaml#2", "mixed.yaml#3", "mixed.yaml#4");
    assertThat(read.problems().get(0).message()).startsWith("not valid YAML or JSON: ");
    assertThat(read.problems().get(1).message()).startsWith(
        "Gateway bad-port: spec.listeners[0].port: Cannot deserialize value of type `java.lang.Integer`");
    assertThat(read.problems().get(2).message()).isEqualTo("Secret: metadata.name missing");
    assertThat(read.problems().get(3).message()).isEqualTo(
        "Secret s: does not parse at data.k (details withheld: a Secret may hold credentials)");
  }

  @Test
  void shouldReadPriceOverridesAndBudgetsIntoTheState() throws IOException {
    // Given Tollway's own kinds among the tutorial's
    write("01-gateway.yaml", GATEWAY);
    write("metering/budgets.yaml", """
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: payments-daily, namespace: payments}
        spec: {subject: {team: payments}, window: Day, limit: {usd: "50"}}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: negotiated}
        spec: {provider: anthropic, model: claude-sonnet-4-20250514, input: 2.7, output: "13.50"}
        """);

    // When
    SourceState read = read(Map.of());

    // Then
    assertThat(read.problems()).isEmpty();
    assertThat(read.state().budgets()).singleElement()
        .satisfies(b -> assertThat(b.getMetadata().getNamespace()).isEqualTo("payments"));
    assertThat(read.state().modelPrices()).singleElement()
        .satisfies(p -> assertThat(p.getAdditionalProperties().get("spec")).asString().contains("input=2.7"));
    assertThat(read.state().gateways()).hasSize(1);
  }

  @Test
  void shouldFailTheWholeReadWhenTheFolderIsMissing() {
    // Given
    FolderSource source = new FolderSource(dir.resolve("absent"), Map.of());

    // When / Then
    assertThatThrownBy(source::read).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void shouldNoticeChangesIncludingInNewSubfolders() throws IOException {
    // Given a watched folder
    AtomicInteger changes = new AtomicInteger();
    try (FolderSource source = new FolderSource(dir, Map.of())) {
      source.watch(changes::incrementAndGet);
      assertThat(source.isWatching()).isTrue();

      // When a file is added, Then a change is signalled
      write("01-gateway.yaml", GATEWAY);
      await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() >= 1);

      // When a subfolder appears and a file is written in it, Then that is noticed too
      Files.createDirectories(dir.resolve("llm"));
      await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() >= 2);
      int before = changes.get();
      write("llm/03-httproute.yaml", Manifests.text("seed/llm/03-httproute.yaml"));
      await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() > before);
      assertThat(source.read().state().httpRoutes()).hasSize(1);

      // When the file is deleted, Then the deletion is noticed
      int beforeDelete = changes.get();
      Files.delete(dir.resolve("llm/03-httproute.yaml"));
      await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() > beforeDelete);
    }
  }

  @Test
  void shouldCompileTheTutorialFolderAsTheCompilerTestsDo() throws IOException {
    // Given the tutorial's manifests in their folder layout, Secrets reading the keys from the environment
    for (String file : new String[] {"01-gateway.yaml", "llm/gemini/02-backend-gemini.yaml",
        "llm/03-httproute.yaml", "llm/04-httproute-gemini.yaml", "llm/anthropic/05-backend-anthropic.yaml",
        "llm/06-httproute-anthropic.yaml"}) {
      write(file, Manifests.text("seed/" + file));
    }
    write("secrets.yaml", Manifests.text("seed/secrets.yaml")
        .replace("test-gemini-key-0001", "${GEMINI_API_KEY}")
        .replace("test-anthropic-key-0002", "${ANTHROPIC_API_KEY}"));

    // When
    SourceState read = read(Map.of("GEMINI_API_KEY", "g-key", "ANTHROPIC_API_KEY", "a-key"));
    CompileResult result = new SnapshotCompiler(Manifests.cipher()).compile(read.state());

    // Then 06 (read last among the llm-route documents) wins: /ai/claude and /ai/gemini
    assertThat(read.problems()).isEmpty();
    assertThat(result.snapshots().get("default/agentgateway").routes())
        .extracting(r -> r.match().path().value()).containsExactly("/ai/claude", "/ai/gemini");
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void shouldStopWatchingAndSaySoWhenTheFolderItselfIsRemoved() throws IOException {
    // Given a watched subfolder
    Path watched = Files.createDirectories(dir.resolve("watched"));
    AtomicInteger changes = new AtomicInteger();
    try (FolderSource source = new FolderSource(watched, Map.of())) {
      source.watch(changes::incrementAndGet);

      // When the folder is deleted
      Files.delete(watched);

      // Then a last change is signalled (the next read fails and keeps the last snapshots) and watching stops
      await().atMost(Duration.ofSeconds(10)).until(() -> !source.isWatching());
      assertThat(changes.get()).isGreaterThanOrEqualTo(1);
      assertThatThrownBy(source::read).isInstanceOf(NoSuchFileException.class);
    }
  }
}

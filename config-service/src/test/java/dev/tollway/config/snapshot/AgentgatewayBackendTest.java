package dev.tollway.config.snapshot;

import static dev.tollway.config.snapshot.Fixtures.GATEWAY_ALL;
import static dev.tollway.config.snapshot.Fixtures.compile;
import static dev.tollway.config.snapshot.Fixtures.condition;
import static dev.tollway.config.snapshot.Fixtures.route;
import static dev.tollway.config.snapshot.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.Manifests;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ConditionStatus;
import dev.tollway.schemas.snapshot.AiBackend;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.Provider;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AgentgatewayBackend: providers, groups, auth, TLS, AI policy, and what is refused. */
class AgentgatewayBackendTest {

  private static final String ROUTE = route("r", "default", """
      - backendRefs: [{group: agentgateway.dev, kind: AgentgatewayBackend, name: b}]
      """);

  private static String backend(String spec) {
    return """
        apiVersion: agentgateway.dev/v1alpha1
        kind: AgentgatewayBackend
        metadata:
          name: b
        spec:
        %s
        """.formatted(spec.indent(2).stripTrailing());
  }

  private static Backend compiled(String spec, String... more) {
    String[] docs = new String[more.length + 3];
    docs[0] = GATEWAY_ALL;
    docs[1] = ROUTE;
    docs[2] = backend(spec);
    System.arraycopy(more, 0, docs, 3, more.length);
    CompileResult result = compile(docs);
    assertThat(result.problems()).as("problems").isEmpty();
    return snapshot(result, "default/gw").backends().get("default/b");
  }

  private static Condition refusal(String spec) {
    CompileResult result = compile(GATEWAY_ALL, ROUTE, backend(spec));
    Condition accepted = condition(result, "AgentgatewayBackend", "default/b", "Accepted");
    assertThat(accepted.status()).isEqualTo(ConditionStatus.False);
    assertThat(snapshot(result, "default/gw").routes().get(0).backends().get(0).unresolved())
        .isEqualTo("AgentgatewayBackend default/b is not accepted: " + accepted.message());
    return accepted;
  }

  @Test
  void shouldRefuseAnMcpBackendClearly() {
    // When
    Condition accepted = refusal("""
        mcp:
          targets:
          - name: mcp-k8s
            selector: {services: {matchLabels: {app: mcp-k8s}}}
        """);

    // Then
    assertThat(accepted.reason()).isEqualTo("Unsupported");
    assertThat(accepted.message()).isEqualTo("spec.mcp: MCP backends are not supported by Tollway yet");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      ai: {provider: {}}                                          | spec.ai.provider: expected exactly one of openai, anthropic, gemini, vertexai, bedrock, azureopenai (found: none)
      ai: {provider: {openai: {}, gemini: {}}}                    | spec.ai.provider: expected exactly one of openai, anthropic, gemini, vertexai, bedrock, azureopenai (found: openai, gemini)
      ai: {provider: {openai: {model: 42}}}                       | spec.ai.provider.openai.model: 42 (expected: a string)
      ai: {provider: {openai: {}, host: h}}                       | spec.ai.provider: host and port must be set together
      ai: {provider: {openai: {}, host: h, port: 70000}}          | spec.ai.provider.port: 70000 (expected: an integer from 1 to 65535)
      ai: {provider: {openai: {}, pathPrefix: /v2}}               | spec.ai.provider.pathPrefix: requires host to be set
      ai: {provider: {vertexai: {model: m}}}                      | spec.ai.provider.vertexai.projectId: missing
      ai: {provider: {openai: {}}, groups: []}                    | spec.ai: expected exactly one of provider, groups (found: provider, groups)
      ai: {groups: [{providers: [{name: a, openai: {}}, {name: a, openai: {}}]}]} | spec.ai.groups[0].providers[1].name: "a" is used twice (expected: unique within the group)
      ai: {provider: {openai: {}}}, policies: {ai: {routes: {/v1/x: Chat}}} | spec.policies.ai.routes./v1/x: "Chat" (expected one of AnthropicTokenCount, Completions, Detect, Embeddings, GeminiCountTokens, GenerateContent, Messages, Models, Passthrough, Realtime, Rerank, Responses)
      ai: {provider: {openai: {}}}, policies: {ai: {defaults: [{field: temperature}]}} | spec.policies.ai.defaults[0].value: missing (expected: any JSON value)
      ai: {provider: {openai: {}}}, policies: {ai: {overrides: [{field: t, value: 1}, {field: t, value: 2}]}} | spec.policies.ai.overrides[1].field: "t" is set twice (expected: once)
      ai: {provider: {openai: {}}}, policies: {ai: {prompt: {prepend: [{role: tool, content: x}]}}} | spec.policies.ai.prompt.prepend[0].role: "tool" (expected one of system, developer, user, assistant)
      ai: {provider: {openai: {}}}, policies: {ai: {prompt: {append: [{role: user}]}}} | spec.policies.ai.prompt.append[0].content: missing
      ai: "garbage"                                               | spec.ai: "garbage" (expected: an object)
      {}                                                          | spec: expected exactly one of ai, static, dynamicForwardProxy, mcp, aws, a2a (found: none)
      """)
  void shouldRefuseAnInvalidSpecNamingTheField(String spec, String message) {
    // When
    Condition accepted = refusal(spec.startsWith("{") ? spec : "{" + spec + "}");

    // Then
    assertThat(accepted.reason()).isEqualTo("Invalid");
    assertThat(accepted.message()).isEqualTo(message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      ai: {provider: {openai: {}}}, policies: {health: {eviction: {healthThreshold: 50}}} | spec.policies.health.eviction.healthThreshold: not supported by Tollway yet
      ai: {provider: {openai: {}}}, policies: {http: {version: HTTP2}}           | spec.policies.http.version: not supported by Tollway yet
      ai: {provider: {openai: {}}}, policies: {tcp: {keepalive: {}}}             | spec.policies.tcp: not supported by Tollway yet
      ai: {provider: {openai: {}}}, policies: {ai: {promptGuard: {request: []}}} | spec.policies.ai.promptGuard: not supported by Tollway yet
      ai: {provider: {openai: {}}}, policies: {auth: {azure: {}}}                | spec.policies.auth.azure: not supported by Tollway yet
      ai: {provider: {vertexai: {projectId: p}}}, policies: {auth: {gcp: {}}}    | spec.policies.auth.gcp: the pod's own Google identity is not supported by Tollway yet (expected: secretRef to a service-account key)
      ai: {provider: {vertexai: {projectId: p}}}, policies: {auth: {gcp: {type: IdToken, secretRef: {name: s}}}} | spec.policies.auth.gcp.type: "IdToken" (Tollway fetches AccessTokens only)
      ai: {provider: {bedrock: {}}}, policies: {auth: {aws: {secretRef: {name: s}, assumeRole: {roleArn: r}}}} | spec.policies.auth.aws.assumeRole: not supported by Tollway yet
      ai: {provider: {openai: {}}}, policies: {ai: {promptCaching: {}}}          | spec.policies.ai.promptCaching: not supported by Tollway yet
      ai: {provider: {openai: {}}}, policies: {tls: {sni: x.example.com}}        | spec.policies.tls.sni: not supported by Tollway yet
      ai: {provider: {bedrock: {guardrail: {identifier: g, version: '1'}}}}      | spec.ai.provider.bedrock.guardrail: not supported by Tollway yet
      dynamicForwardProxy: {}                                                    | spec.dynamicForwardProxy: dynamicForwardProxy backends are not supported by Tollway yet
      """)
  void shouldRefuseWhatItCannotHonourInsteadOfIgnoringIt(String spec, String message) {
    // When
    Condition accepted = refusal("{" + spec + "}");

    // Then
    assertThat(accepted.reason()).isEqualTo("Unsupported");
    assertThat(accepted.message()).isEqualTo(message);
  }

  @Test
  void shouldCarryTheHealthPolicyAndTheRequestTimeout() {
    // When
    AiBackend ai = compiled("""
        ai:
          groups:
          - providers:
            - {name: primary, openai: {model: gpt-4o}}
          - providers:
            - {name: fallback, anthropic: {model: claude-sonnet-4}}
        policies:
          health:
            unhealthyCondition: response.code >= 500 || response.code == 429
            eviction: {duration: 10s, consecutiveFailures: 3}
          http: {requestTimeout: 1m30s}
        """).ai();
    AiBackend defaults = compiled("""
        ai: {provider: {openai: {}}}
        policies: {health: {}}
        """).ai();

    // Then
    assertThat(ai.groups()).hasSize(2);
    assertThat(ai.health()).isEqualTo(
        new dev.tollway.schemas.snapshot.HealthPolicy("response.code >= 500 || response.code == 429", 10_000, 3));
    assertThat(ai.requestTimeoutMillis()).isEqualTo(90_000L);
    assertThat(defaults.health()).isEqualTo(new dev.tollway.schemas.snapshot.HealthPolicy(null, 3_000, 1));
    assertThat(defaults.requestTimeoutMillis()).isNull();
  }

  @Test
  void shouldRefuseAConditionItCannotEvaluate() {
    Condition accepted = refusal("{ai: {provider: {openai: {}}}, policies: {health: {unhealthyCondition: 'size(response.body) > 0'}}}");

    assertThat(accepted.reason()).isEqualTo("Unsupported");
    assertThat(accepted.message()).isEqualTo("spec.policies.health.unhealthyCondition: at 0: \"size\" (expected: "
        + "response.code, a number, true, false, ! or a parenthesis); Tollway understands comparisons of "
        + "response.code joined with &&, || and !");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      ai: {provider: {openai: {}}}, policies: {health: {eviction: {duration: 500ms}}} | spec.policies.health.eviction.duration: "500ms" (expected: at least 1s)
      ai: {provider: {openai: {}}}, policies: {health: {eviction: {duration: soon}}}  | spec.policies.health.eviction.duration: "soon" (expected: a Gateway API duration such as 10s, 500ms or 1h30m)
      ai: {provider: {openai: {}}}, policies: {http: {requestTimeout: 0s}}            | spec.policies.http.requestTimeout: "0s" (expected: at least 1ms)
      ai: {provider: {openai: {}}}, policies: {health: {eviction: {consecutiveFailures: many}}} | spec.policies.health.eviction.consecutiveFailures: "many" (expected: an integer from 0 to 1000000)
      """)
  void shouldRefuseAnInvalidHealthOrHttpPolicyNamingTheField(String spec, String message) {
    Condition accepted = refusal("{" + spec + "}");

    assertThat(accepted.reason()).isEqualTo("Invalid");
    assertThat(accepted.message()).isEqualTo(message);
  }

  @Test
  void shouldCarryHostOverridePathAndTlsPolicy() {
    // When
    Provider plain = provider(compiled("""
        ai:
          provider:
            openai: {model: local}
            host: fake-openai
            port: 8081
            pathPrefix: /openai/v1
        """));
    Provider withTls = provider(compiled("""
        ai:
          provider:
            anthropic: {}
            host: proxy.example.com
            port: 443
        policies:
          tls: {}
        """));

    // Then
    assertThat(plain.host()).isEqualTo("fake-openai");
    assertThat(plain.port()).isEqualTo(8081);
    assertThat(plain.pathPrefix()).isEqualTo("/openai/v1");
    assertThat(plain.tls()).isFalse();
    assertThat(plain.auth().mode()).isEqualTo(Provider.ProviderAuth.Mode.none);
    assertThat(withTls.tls()).isTrue();
    assertThat(withTls.model()).isNull();
  }

  @Test
  void shouldReadProviderSettingsWithAgentgatewayDefaults() {
    // When
    Provider vertex = provider(compiled("ai: {provider: {vertexai: {projectId: p1, model: gemini-2.5-pro}}}"));
    Provider bedrock = provider(compiled("ai: {provider: {bedrock: {model: m}}}"));
    Provider azure = provider(compiled(
        "ai: {provider: {azureopenai: {endpoint: 'https://x.openai.azure.com', deploymentName: d, apiVersion: '2024-10-21'}}}"));

    // Then
    assertThat(vertex.settings()).isEqualTo(Map.of("projectId", "p1", "region", "global"));
    assertThat(bedrock.settings()).isEqualTo(Map.of("region", "us-east-1"));
    assertThat(azure.settings())
        .isEqualTo(Map.of("endpoint", "x.openai.azure.com", "deploymentName", "d", "apiVersion", "2024-10-21"));
  }

  @Test
  void shouldTrimTheSecretValueAndStripABearerPrefix() {
    // Given the key in data (base64 of "  Bearer sk-from-data \n")
    String secret = """
        apiVersion: v1
        kind: Secret
        metadata: {name: s}
        data:
          Authorization: %s
        """.formatted(java.util.Base64.getEncoder().encodeToString("  Bearer sk-from-data \n".getBytes()));

    // When
    Provider p = provider(compiled("{ai: {provider: {openai: {}}}, policies: {auth: {secretRef: {name: s}}}}", secret));

    // Then
    assertThat(Manifests.cipher().open("default/gw", p.auth().key())).isEqualTo("sk-from-data");
  }

  @Test
  void shouldRefuseTheBackendWhenTheSecretLacksTheKeyOrItIsEmpty() {
    // Given
    String noKey = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {other: x}\n";
    String empty = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {Authorization: ''}\n";
    String spec = "{ai: {provider: {openai: {}}}, policies: {auth: {secretRef: {name: s}}}}";

    // When
    Condition missingKey = condition(compile(GATEWAY_ALL, ROUTE, backend(spec), noKey),
        "AgentgatewayBackend", "default/b", "Accepted");
    Condition emptyValue = condition(compile(GATEWAY_ALL, ROUTE, backend(spec), empty),
        "AgentgatewayBackend", "default/b", "Accepted");

    // Then
    assertThat(missingKey.reason()).isEqualTo("InvalidSecret");
    assertThat(missingKey.message()).isEqualTo("Secret default/s has no key Authorization");
    assertThat(emptyValue.message()).isEqualTo("Secret default/s: Authorization is empty");
  }

  @Test
  void shouldCompileGroupsInPriorityOrderWithPerProviderAuth() {
    // When
    Backend backend = compiled("""
        ai:
          groups:
          - providers:
            - name: primary
              openai: {model: gpt-4o}
              policies:
                auth: {key: sk-primary}
          - providers:
            - name: fallback-a
              anthropic: {model: claude}
            - name: fallback-b
              gemini: {}
              policies:
                auth: {passthrough: {}}
        policies:
          auth: {key: sk-shared}
          ai:
            routes: {/v1/messages: Messages, '*': Passthrough}
            modelAliases: {fast: gpt-4o-mini}
        """);

    // Then
    AiBackend ai = backend.ai();
    assertThat(ai.groups()).extracting(g -> g.providers().stream().map(Provider::name).toList())
        .containsExactly(java.util.List.of("primary"), java.util.List.of("fallback-a", "fallback-b"));
    var cipher = Manifests.cipher();
    assertThat(cipher.open("default/gw", ai.groups().get(0).providers().get(0).auth().key())).isEqualTo("sk-primary");
    assertThat(cipher.open("default/gw", ai.groups().get(1).providers().get(0).auth().key())).isEqualTo("sk-shared");
    assertThat(ai.groups().get(1).providers().get(1).auth().mode()).isEqualTo(Provider.ProviderAuth.Mode.passthrough);
    assertThat(ai.policy().routes()).containsExactly(Map.entry("*", "Passthrough"), Map.entry("/v1/messages", "Messages"));
    assertThat(ai.policy().modelAliases()).containsExactly(Map.entry("fast", "gpt-4o-mini"));
  }

  @Test
  void shouldCompileAStaticBackendAsAPlainHost() {
    // When
    Backend backend = compiled("{static: {host: ollama.local, port: 11434}}");

    // Then
    assertThat(backend).isEqualTo(Backend.host("default/b", new Backend.HostBackend("ollama.local", 11434, false)));
  }

  @Test
  void shouldSealTheSameKeyDifferentlyForEachGateway() {
    // Given two Gateways routing to the same backend
    String second = GATEWAY_ALL.replace("name: gw", "name: gw2");
    String routeToBoth = ROUTE.replace("  - name: gw\n    namespace: default\n",
        "  - name: gw\n    namespace: default\n  - name: gw2\n    namespace: default\n");
    CompileResult result = compile(GATEWAY_ALL, second, routeToBoth,
        backend("{ai: {provider: {openai: {}}}, policies: {auth: {key: sk-both}}}"));

    // When
    var one = provider(snapshot(result, "default/gw").backends().get("default/b")).auth().key();
    var two = provider(snapshot(result, "default/gw2").backends().get("default/b")).auth().key();

    // Then
    assertThat(one).isNotEqualTo(two);
    assertThat(Manifests.cipher().open("default/gw2", two)).isEqualTo("sk-both");
  }

  @Test
  void shouldCompileTheAiPolicyWithAnyJsonValuesAndPromptMessages() {
    // When
    AiBackend.AiPolicy policy = compiled("""
        ai: {provider: {openai: {}}}
        policies:
          ai:
            routes: {/v1/responses: Responses, ':generateContent': GenerateContent, ':countTokens': GeminiCountTokens}
            modelAliases: {fast: gpt-4o-mini, 'claude-*': claude-sonnet-4-5}
            defaults:
            - {field: temperature, value: 0.5}
            - {field: stop, value: ["END", "STOP"]}
            - {field: metadata, value: {team: search, tier: 2}}
            overrides:
            - {field: max_tokens, value: 100}
            - {field: stream, value: false}
            - {field: user, value: "gateway"}
            prompt:
              prepend: [{role: SYSTEM, content: Answer in French.}]
              append: [{role: user, content: ''}]
        """).ai().policy();

    // Then
    assertThat(policy.routes()).containsEntry(":generateContent", "GenerateContent").containsEntry(":countTokens", "GeminiCountTokens");
    assertThat(policy.modelAliases()).containsEntry("claude-*", "claude-sonnet-4-5");
    assertThat(policy.defaults()).extracting(f -> f.field() + "=" + f.value()).containsExactly(
        "temperature=0.5", "stop=[\"END\",\"STOP\"]", "metadata={\"team\":\"search\",\"tier\":2}");
    assertThat(policy.overrides()).extracting(f -> f.field() + "=" + f.value()).containsExactly(
        "max_tokens=100", "stream=false", "user=\"gateway\"");
    assertThat(policy.prepend()).containsExactly(new AiBackend.PromptMessage("system", "Answer in French."));
    assertThat(policy.append()).containsExactly(new AiBackend.PromptMessage("user", ""));
  }

  @Test
  void shouldSealAwsKeysAsTheJsonBedrockSignsWith() {
    // Given a Secret with the keys agentgateway's aws.secretRef names
    String secret = """
        apiVersion: v1
        kind: Secret
        metadata: {name: aws}
        stringData: {accessKey: AKIDEXAMPLE, secretKey: ' wJalrXUtnFEMI/K7MDENG ', sessionToken: tok}
        """;

    // When
    Provider bedrock = provider(compiled(
        "{ai: {provider: {bedrock: {model: m, region: eu-west-1}}}, policies: {auth: {aws: {secretRef: {name: aws}}}}}", secret));

    // Then
    assertThat(bedrock.auth().mode()).isEqualTo(Provider.ProviderAuth.Mode.key);
    assertThat(Manifests.cipher().open("default/gw", bedrock.auth().key()))
        .isEqualTo("{\"accessKey\":\"AKIDEXAMPLE\",\"secretKey\":\"wJalrXUtnFEMI/K7MDENG\",\"sessionToken\":\"tok\"}");
  }

  @Test
  void shouldRefuseAwsKeysForAProviderThatIsNotBedrock() {
    String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: aws}\nstringData: {accessKey: A, secretKey: S}\n";

    Condition accepted = condition(compile(GATEWAY_ALL, ROUTE,
        backend("{ai: {provider: {openai: {}}}, policies: {auth: {aws: {secretRef: {name: aws}}}}}"), secret),
        "AgentgatewayBackend", "default/b", "Accepted");

    assertThat(accepted.reason()).isEqualTo("Invalid");
    assertThat(accepted.message()).isEqualTo("spec.policies.auth.aws: credentials for bedrock providers (this provider is openai)");
  }

  @Test
  void shouldRefuseAwsKeysWithoutTheSecretKeyNamingItNotItsValue() {
    String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: aws}\nstringData: {accessKey: AKIDEXAMPLE}\n";

    Condition accepted = condition(compile(GATEWAY_ALL, ROUTE,
        backend("{ai: {provider: {bedrock: {}}}, policies: {auth: {aws: {secretRef: {name: aws}}}}}"), secret),
        "AgentgatewayBackend", "default/b", "Accepted");

    assertThat(accepted.reason()).isEqualTo("InvalidSecret");
    assertThat(accepted.message()).isEqualTo("Secret default/aws has no key secretKey").doesNotContain("AKID");
  }

  @Test
  void shouldSealAServiceAccountKeyForVertexAndRefuseOneThatIsNot() {
    // Given a service-account key under credentials.json, and a Secret whose entry is something else
    String key = "{\"type\":\"service_account\",\"client_email\":\"sa@p1.iam.gserviceaccount.com\","
        + "\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nMII\\n-----END PRIVATE KEY-----\\n\"}";
    String good = "apiVersion: v1\nkind: Secret\nmetadata: {name: sa}\nstringData:\n  credentials.json: '" + key + "'\n";
    String bad = "apiVersion: v1\nkind: Secret\nmetadata: {name: sa}\nstringData: {credentials.json: 'sk-not-a-key'}\n";
    String spec = "{ai: {provider: {vertexai: {projectId: p1}}}, policies: {auth: {gcp: {secretRef: {name: sa}}}}}";

    // When
    Provider vertex = provider(compiled(spec, good));
    Condition refused = condition(compile(GATEWAY_ALL, ROUTE, backend(spec), bad), "AgentgatewayBackend", "default/b", "Accepted");

    // Then
    assertThat(Manifests.cipher().open("default/gw", vertex.auth().key())).isEqualTo(key);
    assertThat(refused.reason()).isEqualTo("InvalidSecret");
    assertThat(refused.message()).isEqualTo("Secret default/sa: credentials.json is not a service-account key "
        + "(expected JSON with type service_account, client_email, private_key)").doesNotContain("sk-not");
  }

  @Test
  void shouldTakeAzuresApiKeyFromASecretRefAsForTheOthers() {
    String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: az}\nstringData: {Authorization: azure-key-1}\n";

    Provider azure = provider(compiled("{ai: {provider: {azureopenai: {endpoint: x.openai.azure.com}}}, "
        + "policies: {auth: {secretRef: {name: az}}}}", secret));

    assertThat(Manifests.cipher().open("default/gw", azure.auth().key())).isEqualTo("azure-key-1");
  }

  private static Provider provider(Backend backend) {
    return backend.ai().groups().get(0).providers().get(0);
  }
}

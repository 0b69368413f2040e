package dev.tollway.config.snapshot;

import dev.tollway.config.model.InvalidSpecException;
import dev.tollway.config.model.Resources;
import dev.tollway.config.model.SpecReader;
import dev.tollway.config.snapshot.BackendDraft.AuthDraft;
import dev.tollway.config.snapshot.BackendDraft.ProviderDraft;
import dev.tollway.config.status.Reasons;
import dev.tollway.schemas.snapshot.AiBackend;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.HealthPolicy;
import dev.tollway.schemas.snapshot.UnhealthyCondition;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Compiles an {@code AgentgatewayBackend} (agentgateway.dev/v1alpha1, field names as in agentgateway
 * v1.1.0) into a {@link BackendDraft}. Fields Tollway cannot honour are refused with a message naming them,
 * never ignored.
 */
final class BackendCompiler {

  private static final List<String> BACKEND_TYPES =
      List.of("ai", "static", "dynamicForwardProxy", "mcp", "aws", "a2a");
  private static final List<String> PROVIDER_TYPES =
      List.of("openai", "anthropic", "gemini", "vertexai", "bedrock", "azureopenai");
  private static final Set<String> PROVIDER_FIELDS =
      Set.of("openai", "anthropic", "gemini", "vertexai", "bedrock", "azureopenai", "host", "port", "path",
          "pathPrefix");
  private static final long DEFAULT_EVICTION_MILLIS = 3_000;

  private final AuthReader authReader;

  BackendCompiler(Index index) {
    this.authReader = new AuthReader(index);
  }

  BackendVerdict compile(GenericKubernetesResource resource) {
    try {
      return new BackendVerdict.Usable(draft(resource));
    } catch (InvalidSpecException e) {
      return new BackendVerdict.Refused(e.unsupported() ? Reasons.UNSUPPORTED : Reasons.INVALID, e.getMessage());
    } catch (SecretProblem e) {
      return new BackendVerdict.Refused(e.reason(), e.getMessage());
    }
  }

  private BackendDraft draft(GenericKubernetesResource resource) {
    String namespace = Resources.namespace(resource);
    String key = Resources.key(resource);
    SpecReader spec = SpecReader.spec(resource);
    String type = spec.exactlyOneOf(BACKEND_TYPES);
    spec.requireOnly(Set.of(type, "policies"));
    Optional<SpecReader> policies = spec.object("policies");
    return switch (type) {
      case "ai" -> ai(key, namespace, Resources.name(resource), spec.requireObject("ai"), policies);
      case "static" -> staticHost(key, spec.requireObject("static"), policies);
      case "mcp" -> throw InvalidSpecException.unsupported(
          "spec.mcp", "MCP backends are not supported by Tollway yet");
      default -> throw InvalidSpecException.unsupported(
          spec.path(type), type + " backends are not supported by Tollway yet");
    };
  }

  private BackendDraft ai(
      String key, String namespace, String name, SpecReader ai, Optional<SpecReader> policies) {
    Policies base = policies.map(p -> policies(p, namespace, true)).orElse(Policies.NONE);
    String shape = ai.exactlyOneOf(List.of("provider", "groups"));
    List<List<ProviderDraft>> groups = new ArrayList<>();
    if (shape.equals("provider")) {
      SpecReader provider = ai.requireObject("provider");
      provider.requireOnly(PROVIDER_FIELDS);
      groups.add(List.of(provider(provider, name, base)));
    } else {
      List<SpecReader> groupReaders = ai.objects("groups");
      if (groupReaders.isEmpty()) {
        throw InvalidSpecException.invalid(ai.path("groups"), "empty (expected: at least one group)");
      }
      for (SpecReader group : groupReaders) {
        group.requireOnly(Set.of("providers"));
        groups.add(group(group, namespace, base));
      }
    }
    @Nullable HealthPolicy health = policies.flatMap(p -> p.object("health")).map(BackendCompiler::health).orElse(null);
    @Nullable Long requestTimeout = policies.flatMap(p -> p.object("http")).map(BackendCompiler::requestTimeout).orElse(null);
    return new BackendDraft.Ai(key, groups, base.ai(), health, requestTimeout);
  }

  /**
   * {@code spec.policies.health}: the condition (in the forms {@link UnhealthyCondition} understands), the
   * eviction duration (default 3s, at least 1s, as agentgateway) and the consecutive failures (default 1).
   */
  private static HealthPolicy health(SpecReader health) {
    health.requireOnly(Set.of("unhealthyCondition", "eviction"));
    @Nullable String condition = health.string("unhealthyCondition").map(String::strip).orElse(null);
    if (condition != null) {
      try {
        UnhealthyCondition.parse(condition);
      } catch (IllegalArgumentException e) {
        throw InvalidSpecException.unsupported(health.path("unhealthyCondition"),
            e.getMessage() + "; Tollway understands comparisons of response.code joined with &&, || and !");
      }
    }
    long evictionMillis = DEFAULT_EVICTION_MILLIS;
    int consecutiveFailures = 1;
    Optional<SpecReader> eviction = health.object("eviction");
    if (eviction.isPresent()) {
      SpecReader e = eviction.get();
      e.requireOnly(Set.of("duration", "consecutiveFailures"));
      Optional<String> duration = e.string("duration");
      if (duration.isPresent()) {
        evictionMillis = durationMillis(e, "duration", duration.get());
        if (evictionMillis < 1000) {
          throw InvalidSpecException.invalid(e.path("duration"), "\"" + duration.get() + "\" (expected: at least 1s)");
        }
      }
      consecutiveFailures = e.integer("consecutiveFailures", 0, 1_000_000).map(n -> Math.max(1, n)).orElse(1);
    }
    return new HealthPolicy(condition, evictionMillis, consecutiveFailures);
  }

  /** {@code spec.policies.http.requestTimeout}: each upstream attempt. */
  private static @Nullable Long requestTimeout(SpecReader http) {
    http.requireOnly(Set.of("requestTimeout"));
    Optional<String> timeout = http.string("requestTimeout");
    if (timeout.isEmpty()) {
      return null;
    }
    long millis = durationMillis(http, "requestTimeout", timeout.get());
    if (millis < 1) {
      throw InvalidSpecException.invalid(http.path("requestTimeout"), "\"" + timeout.get() + "\" (expected: at least 1ms)");
    }
    return millis;
  }

  private static long durationMillis(SpecReader reader, String field, String value) {
    try {
      return GatewayDurations.toMillis(value.strip());
    } catch (IllegalArgumentException e) {
      throw InvalidSpecException.invalid(reader.path(field), e.getMessage());
    }
  }

  private List<ProviderDraft> group(SpecReader group, String namespace, Policies base) {
    List<SpecReader> providers = group.objects("providers");
    if (providers.isEmpty()) {
      throw InvalidSpecException.invalid(group.path("providers"), "empty (expected: at least one provider)");
    }
    Set<String> names = new HashSet<>();
    List<ProviderDraft> drafts = new ArrayList<>();
    for (SpecReader provider : providers) {
      Set<String> allowed = new HashSet<>(PROVIDER_FIELDS);
      allowed.addAll(Set.of("name", "policies"));
      provider.requireOnly(allowed);
      String providerName = provider.requireString("name");
      if (!names.add(providerName)) {
        throw InvalidSpecException.invalid(
            provider.path("name"), "\"" + providerName + "\" is used twice (expected: unique within the group)");
      }
      Policies own = provider.object("policies").map(p -> policies(p, namespace, false)).orElse(Policies.NONE);
      drafts.add(provider(provider, providerName, base.overriddenBy(own)));
    }
    return drafts;
  }

  private ProviderDraft provider(SpecReader provider, String name, Policies policies) {
    String typeName = provider.exactlyOneOf(PROVIDER_TYPES);
    ProviderType type = ProviderType.valueOf(typeName);
    SpecReader settings = provider.requireObject(typeName);
    SortedMap<String, String> values = new TreeMap<>();
    switch (type) {
      case openai, anthropic, gemini -> settings.requireOnly(Set.of("model"));
      case vertexai -> {
        settings.requireOnly(Set.of("model", "projectId", "region"));
        values.put("projectId", settings.requireString("projectId"));
        values.put("region", settings.string("region").filter(s -> !s.isBlank()).orElse("global"));
      }
      case bedrock -> {
        settings.requireOnly(Set.of("model", "region"));
        values.put("region", settings.string("region").filter(s -> !s.isBlank()).orElse("us-east-1"));
      }
      case azureopenai -> {
        settings.requireOnly(Set.of("endpoint", "deploymentName", "apiVersion"));
        values.put("endpoint", settings.requireString("endpoint").replaceFirst("^[a-zA-Z]+://", ""));
        String apiVersion = settings.string("apiVersion").filter(s -> !s.isBlank()).orElse("v1");
        values.put("apiVersion", apiVersion);
        Optional<String> deployment = settings.string("deploymentName").filter(s -> !s.isBlank());
        if (deployment.isEmpty() && !apiVersion.equals("v1")) {
          throw InvalidSpecException.invalid(
              settings.path("deploymentName"), "missing (required for apiVersion " + apiVersion + ")");
        }
        deployment.ifPresent(d -> values.put("deploymentName", d));
      }
    }
    @Nullable String model = settings.string("model").filter(s -> !s.isBlank()).orElse(null);
    @Nullable String host = provider.string("host").map(String::strip).orElse(null);
    @Nullable Integer port = provider.integer("port", 1, 65535).orElse(null);
    if ((host == null) != (port == null)) {
      throw InvalidSpecException.invalid(provider.path(), "host and port must be set together");
    }
    if (host != null && host.isEmpty()) {
      throw InvalidSpecException.invalid(provider.path("host"), "empty (expected: a hostname)");
    }
    @Nullable String path = provider.string("path").orElse(null);
    @Nullable String pathPrefix = provider.string("pathPrefix").orElse(null);
    if (path != null && pathPrefix != null) {
      throw InvalidSpecException.invalid(provider.path(), "path and pathPrefix are mutually exclusive");
    }
    if (pathPrefix != null && host == null) {
      throw InvalidSpecException.invalid(provider.path("pathPrefix"), "requires host to be set");
    }
    boolean tls = host == null || policies.tls();
    AuthDraft auth = policies.auth();
    if (auth.onlyFor() != null && auth.onlyFor() != type) {
      throw InvalidSpecException.invalid(auth.path(),
          "credentials for " + auth.onlyFor() + " providers (this provider is " + type + ")");
    }
    return new ProviderDraft(name, type, model, host, port, path, pathPrefix, tls, values, auth);
  }

  private BackendDraft staticHost(String key, SpecReader st, Optional<SpecReader> policies) {
    st.requireOnly(Set.of("host", "port"));
    String host = st.requireString("host").strip();
    int port = st.integer("port", 1, 65535)
        .orElseThrow(() -> InvalidSpecException.invalid(st.path("port"), "missing"));
    boolean tls = false;
    if (policies.isPresent()) {
      policies.get().requireOnly(Set.of("tls"));
      tls = readTls(policies.get());
    }
    return new BackendDraft.Host(key, key, new Backend.HostBackend(host, port, tls));
  }

  private Policies policies(SpecReader policies, String namespace, boolean backendLevel) {
    policies.requireOnly(backendLevel ? Set.of("auth", "tls", "ai", "health", "http") : Set.of("auth", "tls"));
    @Nullable AuthDraft auth = policies.object("auth").map(a -> authReader.read(a, namespace)).orElse(null);
    @Nullable Boolean tls = policies.has("tls") ? readTls(policies) : null;
    AiBackend.AiPolicy ai = policies.object("ai").map(AiPolicyReader::read).orElse(AiBackend.AiPolicy.none());
    return new Policies(auth, tls, ai);
  }

  private static boolean readTls(SpecReader policies) {
    policies.requireObject("tls").requireOnly(Set.of());
    return true;
  }

  /** The policies of a backend or a provider; absent fields inherit from the backend. */
  private record Policies(@Nullable AuthDraft authOrNull, @Nullable Boolean tlsOrNull, AiBackend.AiPolicy ai) {
    static final Policies NONE = new Policies(null, null, AiBackend.AiPolicy.none());

    Policies overriddenBy(Policies own) {
      return new Policies(
          own.authOrNull != null ? own.authOrNull : authOrNull,
          own.tlsOrNull != null ? own.tlsOrNull : tlsOrNull,
          ai);
    }

    AuthDraft auth() {
      return authOrNull == null ? AuthDraft.NONE : authOrNull;
    }

    boolean tls() {
      return tlsOrNull != null && tlsOrNull;
    }
  }
}

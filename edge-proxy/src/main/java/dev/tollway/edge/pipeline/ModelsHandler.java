package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ModelInfo;
import dev.tollway.edge.provider.ModelListApi;
import dev.tollway.edge.provider.azureopenai.AzureOpenAiProtocol;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.routing.WeightedBackend;
import dev.tollway.edge.usage.RequestUsage;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code Models} route, answered by the gateway: the models reachable through the route's AI backends —
 * each provider's fixed {@code model} (an Azure deployment counts as one) and, for a provider without a fixed
 * model, the provider's own list fetched from it, then the exact names of the backends' {@code modelAliases}
 * (OpenAI and compatible servers, Azure v1, Anthropic, Gemini; Vertex AI and Bedrock lists are not fetched).
 * The list is in OpenAI's shape, Anthropic's when the client sends {@code anthropic-version}, Gemini's on a
 * {@code /v1beta/...} path. A provider whose list cannot be fetched is left out (logged); when nothing is left
 * the failure is the answer.
 */
final class ModelsHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ModelsHandler.class);
  private static final HttpString ANTHROPIC_VERSION = new HttpString("anthropic-version");

  private final PipelineContext context;

  ModelsHandler(PipelineContext context) {
    this.context = requireNonNull(context, "context");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    RequestUsage usage = exchange.getAttachment(Attachments.USAGE);
    ModelLists.Shape shape = shape(exchange, route.path());
    ChatFormat errorFormat = switch (shape) {
      case OPENAI -> ChatFormat.OPENAI_CHAT;
      case ANTHROPIC -> ChatFormat.ANTHROPIC_MESSAGES;
      case GEMINI -> ChatFormat.GEMINI_GENERATE_CONTENT;
    };
    context.protocols().clientCodec(errorFormat)
        .ifPresent(codec -> exchange.putAttachment(Attachments.CLIENT_CODEC, codec));
    usage.clientApi(shape.name().toLowerCase(java.util.Locale.ROOT) + ".models");
    usage.operation("list_models");
    Map<String, ModelInfo> listed = new LinkedHashMap<>();
    Map<String, ModelInfo> aliases = new LinkedHashMap<>();
    Deque<ResolvedProvider> toFetch = new ArrayDeque<>();
    for (WeightedBackend weighted : route.route().backends()) {
      if (weighted.weight() > 0 && weighted.backend() instanceof ResolvedBackend.Ai ai) {
        collect(ai, listed, aliases, toFetch);
      }
    }
    if (toFetch.isEmpty()) {
      respond(exchange, shape, listed, aliases);
      return;
    }
    usage.upstreamCalled();
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> fetchNext(exchange, shape, listed, aliases, toFetch, null));
  }

  private static ModelLists.Shape shape(HttpServerExchange exchange, String path) {
    if (exchange.getRequestHeaders().contains(ANTHROPIC_VERSION)) {
      return ModelLists.Shape.ANTHROPIC;
    }
    return path.contains("/v1beta/") || path.endsWith("/v1beta/models") ? ModelLists.Shape.GEMINI : ModelLists.Shape.OPENAI;
  }

  /** The backend's fixed models and aliases; its providers without a fixed model go to {@code toFetch}. */
  private static void collect(ResolvedBackend.Ai backend, Map<String, ModelInfo> listed, Map<String, ModelInfo> aliases,
      Deque<ResolvedProvider> toFetch) {
    String owner = null;
    for (List<ResolvedProvider> group : backend.groups()) {
      for (ResolvedProvider provider : group) {
        String type = provider.provider().type().name();
        owner = owner == null ? type : owner;
        String fixed = provider.provider().model();
        if (fixed == null || fixed.isBlank()) {
          fixed = provider.provider().type() == dev.tollway.schemas.snapshot.Provider.ProviderType.azureopenai
              ? AzureOpenAiProtocol.deployment(provider.provider())
              : null;
        }
        if (fixed != null && !fixed.isBlank()) {
          listed.putIfAbsent(fixed, new ModelInfo(fixed, type, null, null));
        } else if (provider.protocol().modelList().isPresent()) {
          toFetch.add(provider);
        } else {
          LOG.debug("backend={} provider={}: {} lists no models and the provider names none",
              backend.name(), provider.provider().name(), type);
        }
      }
    }
    for (String alias : backend.policy().modelAliases().keySet()) {
      if (!alias.contains("*")) {
        aliases.putIfAbsent(alias, new ModelInfo(alias, "tollway", null, null));
      }
    }
  }

  /** Fetches the lists one after the other on the exchange's IO thread, then answers. */
  private void fetchNext(
      HttpServerExchange exchange, ModelLists.Shape shape, Map<String, ModelInfo> listed, Map<String, ModelInfo> aliases,
      Deque<ResolvedProvider> toFetch, @Nullable Throwable lastFailure) {
    ResolvedProvider provider = toFetch.poll();
    if (provider == null) {
      if (listed.isEmpty() && aliases.isEmpty() && lastFailure != null) {
        ErrorResponder.send(exchange, lastFailure);
      } else {
        respond(exchange, shape, listed, aliases);
      }
      return;
    }
    ModelListApi api = provider.protocol().modelList().orElseThrow();
    try {
      var target = api.target(provider.provider());
      exchange.getAttachment(Attachments.USAGE).endpoint(target.authority());
      UpstreamJson.call(exchange, context, provider, target, "GET", new byte[0]).whenComplete((answer, failure) -> {
        Throwable problem = failure == null ? null : UpstreamJson.unwrap(failure);
        if (problem == null) {
          try {
            JsonNode json = UpstreamErrors.parseOrNull(answer.body());
            if (json == null || !json.isObject()) {
              throw new GatewayException(ErrorReason.UPSTREAM_ERROR, "the provider's model list is not JSON");
            }
            api.decode(json).forEach(model -> listed.putIfAbsent(model.id(), model));
          } catch (RuntimeException e) {
            problem = e;
          }
        }
        if (problem != null) {
          LOG.warn("requestId={} provider={} model list not fetched: {}",
              exchange.getAttachment(Attachments.REQUEST_ID), provider.provider().name(), problem.getMessage());
        }
        fetchNext(exchange, shape, listed, aliases, toFetch, problem != null ? problem : lastFailure);
      });
    } catch (RuntimeException e) {
      fetchNext(exchange, shape, listed, aliases, toFetch, e);
    }
  }

  /** The models, then the aliases no model already names. */
  private static void respond(
      HttpServerExchange exchange, ModelLists.Shape shape, Map<String, ModelInfo> listed, Map<String, ModelInfo> aliases) {
    List<ModelInfo> models = new ArrayList<>(listed.values());
    aliases.forEach((name, alias) -> {
      if (!listed.containsKey(name)) {
        models.add(alias);
      }
    });
    byte[] body = ModelLists.encode(shape, models).toString().getBytes(StandardCharsets.UTF_8);
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseSender().send(ByteBuffer.wrap(body));
  }
}

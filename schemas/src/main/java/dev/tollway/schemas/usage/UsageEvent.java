package dev.tollway.schemas.usage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What one request, or one upstream attempt of a request, did: published by edge-proxy on
 * {@code tollway.usage.v1}, keyed by {@link #requestId()}.
 *
 * <p>A request that reached no upstream (rejected by auth, routing or validation) has one event with
 * {@code attempt = 0}. A request that reached upstreams has one event per attempt; the attempt whose answer
 * went to the client has {@code finalAttempt = true}. So requests are counted from final events, and tokens
 * are summed over all events. Field names follow the OpenTelemetry GenAI semantic conventions, noted in the
 * JSON Schema.
 *
 * @param schemaVersion version of this payload's schema
 * @param eventId unique id of this event (deduplication key downstream)
 * @param requestId the proxy's id for the request ({@code x-request-id})
 * @param traceId W3C trace id, if the request was traced
 * @param attempt 0 when no upstream was called, else 1 for the first upstream attempt, 2 for the next...
 * @param finalAttempt whether this event describes the answer the client got
 * @param startTime when the proxy accepted the request (attempt: when the attempt started)
 * @param firstTokenTime when the first byte of generated content reached the proxy (streaming: first delta)
 * @param endTime when the last byte went to the client (attempt: when the attempt ended)
 * @param gateway {@code "<namespace>/<name>"} of the Gateway
 * @param listener the listener's name
 * @param route the route rule that matched ({@code "<namespace>/<name>#<rule>"})
 * @param backend {@code "<namespace>/<name>"} of the backend
 * @param provider {@code gen_ai.provider.name}: {@code openai}, {@code anthropic}, {@code gcp.gemini}, ...
 * @param endpoint the upstream {@code host:port}
 * @param operation {@code gen_ai.operation.name}: {@code chat}, {@code embeddings}, ...
 * @param clientApi the API the client spoke ({@code openai.chat}, {@code anthropic.messages}, ...)
 * @param requestModel {@code gen_ai.request.model}: the model the client asked for
 * @param providerModel the model sent to the provider after overrides and aliases
 * @param responseModel {@code gen_ai.response.model}: the model the provider says answered
 * @param streamed whether the answer was streamed
 * @param caller who sent the request
 * @param status HTTP status sent to the client (attempt: the upstream status, 0 if none)
 * @param errorClass reason code of a failure ({@code UPSTREAM_TIMEOUT}, {@code INVALID_REQUEST}, ...)
 * @param tokens the tokens used
 */
public record UsageEvent(
    int schemaVersion,
    String eventId,
    String requestId,
    @Nullable String traceId,
    int attempt,
    boolean finalAttempt,
    Instant startTime,
    @Nullable Instant firstTokenTime,
    Instant endTime,
    String gateway,
    @Nullable String listener,
    @Nullable String route,
    @Nullable String backend,
    @Nullable String provider,
    @Nullable String endpoint,
    @Nullable String operation,
    @Nullable String clientApi,
    @Nullable String requestModel,
    @Nullable String providerModel,
    @Nullable String responseModel,
    boolean streamed,
    Caller caller,
    int status,
    @Nullable String errorClass,
    TokenUsage tokens) {

  public static final int SCHEMA_VERSION = 1;

  public UsageEvent {
    requireNonNull(eventId, "eventId");
    requireNonNull(requestId, "requestId");
    requireNonNull(startTime, "startTime");
    requireNonNull(endTime, "endTime");
    requireNonNull(gateway, "gateway");
    requireNonNull(caller, "caller");
    requireNonNull(tokens, "tokens");
  }

  /** The model to report this usage under: the response's, else the one sent, else the requested one. */
  public @Nullable String effectiveModel() {
    if (responseModel != null) {
      return responseModel;
    }
    return providerModel != null ? providerModel : requestModel;
  }

  /**
   * Who sent the request, from the client API key's metadata.
   *
   * @param apiKeyId stable id of the client API key (never the key)
   * @param apiKeyName the key's name
   * @param team the key's team
   * @param user the key's user
   * @param tags further metadata of the key
   */
  public record Caller(
      @Nullable String apiKeyId,
      @Nullable String apiKeyName,
      @Nullable String team,
      @Nullable String user,
      SortedMap<String, String> tags) {

    public Caller {
      tags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    public static Caller anonymous() {
      return new Caller(null, null, null, null, new TreeMap<>());
    }
  }
}

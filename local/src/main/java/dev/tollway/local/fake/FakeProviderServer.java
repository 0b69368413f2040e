package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * One local HTTP server that plays OpenAI, Azure OpenAI, Anthropic, Gemini, Amazon Bedrock and Google Vertex
 * AI, each in its real wire format:
 *
 * <ul>
 *   <li>{@code POST /v1/chat/completions} and {@code /v1/responses} (OpenAI; {@code Authorization: Bearer <key>})
 *   <li>{@code POST /openai/v1/chat/completions} and {@code /openai/v1/responses} (Azure OpenAI v1;
 *       {@code api-key})
 *   <li>{@code POST /v1/messages} (Anthropic; {@code x-api-key}, {@code anthropic-version}, {@code max_tokens})
 *   <li>{@code POST /v1beta/models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse} (Gemini;
 *       {@code x-goog-api-key})
 *   <li>{@code POST /model/{modelId}/converse} and {@code /converse-stream} (Bedrock, the stream in the binary
 *       event-stream framing; every request's SigV4 signature verified with the AWS SDK's signer against the
 *       trusted AWS keys — see {@link #trustAwsKey})
 *   <li>{@code POST /token} (Google's OAuth token endpoint for service accounts: a JWT assertion checked
 *       against the trusted service accounts' public keys — see {@link #trustServiceAccount}) and Vertex AI's
 *       {@code /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent} /
 *       {@code :streamGenerateContent?alt=sse} and {@code .../publishers/anthropic/models/{m}:rawPredict} /
 *       {@code :streamRawPredict} (a bearer token the endpoint issued)
 *   <li>embeddings, model lists and token counting of each (see {@link FakeUtilities} and {@link CloudUtilities})
 * </ul>
 *
 * <p>Every answer is {@link FakeAnswer#replyText the same sentence} naming the provider and the model, with token
 * counts by {@link FakeTokens}; when the request offers tools and its last message is a user's that contains the
 * word "weather", the answer is a call to the first tool. Streams go out event by event, each flushed, with an
 * optional delay between them. Failures are injected per request with {@code x-fake-*} headers or for the next
 * requests with {@link #enqueue(FakeBehaviour)} (see {@link FakeBehaviour}). Every request is recorded with what
 * was answered ({@link #requests()}).
 *
 * <p>Run alone: {@code java -cp ... dev.tollway.local.fake.FakeProviderServer --port 9999}.
 */
public final class FakeProviderServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FakeProviderServer.class);

  private static final long MAX_BODY_BYTES = 32L * 1024 * 1024;
  private static final String GEMINI_PREFIX = "/v1beta/models/";
  private static final String SERVED =
      "POST /v1/chat/completions, POST /v1/responses, POST /v1/embeddings, GET /v1/models, POST /v1/messages, "
          + "POST /v1/messages/count_tokens, POST /v1beta/models/{model}:generateContent, "
          + "POST /v1beta/models/{model}:streamGenerateContent?alt=sse, :countTokens, :batchEmbedContents, "
          + "GET /v1beta/models, Azure's /openai/v1/chat/completions, /responses, /embeddings, /models, "
          + "Bedrock's /model/{modelId}/converse, /converse-stream, /invoke, /count-tokens, Google's POST /token and "
          + "Vertex AI's /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent, "
          + ":streamGenerateContent, :countTokens, :predict and .../publishers/anthropic/models/{m}:rawPredict, "
          + ":streamRawPredict";

  /** The AWS access key id the fake Bedrock trusts from the start (a fake key, of AWS's shape). */
  public static final String AWS_ACCESS_KEY_ID = "AKIAFAKETOLLWAY00001";

  /** The secret access key of {@link #AWS_ACCESS_KEY_ID}. */
  public static final String AWS_SECRET_ACCESS_KEY = "fakeTollwaySecretAccessKey/0000000000000000";
  private static final HttpString RETRY_AFTER = new HttpString("Retry-After");

  private static final ProviderApi OPENAI = new OpenAiApi();
  private static final ProviderApi OPENAI_RESPONSES = new OpenAiResponsesApi();
  private static final ProviderApi AZURE = new AzureOpenAiApi(OPENAI);
  private static final ProviderApi AZURE_RESPONSES = new AzureOpenAiApi(OPENAI_RESPONSES);
  private static final ProviderApi ANTHROPIC = new AnthropicApi();
  private static final ProviderApi GEMINI = new GeminiApi();
  private static final ProviderApi BEDROCK = new BedrockApi();
  private static final ProviderApi VERTEX_GEMINI = VertexApi.gemini();
  private static final ProviderApi VERTEX_CLAUDE = VertexApi.claude();

  private final FakeProviderConfig config;
  private final TrustedCredentials trusted;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Undertow undertow;
  private final int port;
  private final AtomicLong sequence = new AtomicLong();
  private final Deque<RecordedRequest> recorded = new ArrayDeque<>();
  private final ConcurrentLinkedQueue<FakeBehaviour> queued = new ConcurrentLinkedQueue<>();
  private volatile FakeBehaviour defaultBehaviour = FakeBehaviour.NORMAL;
  private final AtomicBoolean closed = new AtomicBoolean();

  private FakeProviderServer(FakeProviderConfig config) {
    this.config = config;
    this.trusted = new TrustedCredentials(config.clock());
    trusted.trustAwsKey(new TrustedCredentials.AwsKey(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, null));
    this.undertow = Undertow.builder()
        .addHttpListener(config.port(), config.host())
        .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
        .setWorkerThreads(2)
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_BODY_BYTES)
        .setHandler(this::handle)
        .build();
    try {
      undertow.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "fake providers: cannot listen on " + config.host() + ":" + config.port() + ": " + rootMessage(e), e);
    }
    this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  /** Starts on 127.0.0.1 on a free port. */
  public static FakeProviderServer start() {
    return start(FakeProviderConfig.defaults());
  }

  /**
   * Starts the server.
   *
   * @throws IllegalStateException naming the address when it cannot listen there
   */
  public static FakeProviderServer start(FakeProviderConfig config) {
    requireNonNull(config, "config");
    FakeProviderServer server = new FakeProviderServer(config);
    LOG.info("fake providers listening on {} ({})", server.baseUrl(), SERVED);
    return server;
  }

  /** Runs the server until the JVM stops: {@code --port N --host H --chunk-delay-ms N --max-recorded N}. */
  public static void main(String[] args) {
    FakeProviderConfig config;
    try {
      config = FakeProviderConfig.fromArgs(List.of(args));
    } catch (IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      System.exit(2);
      return;
    }
    FakeProviderServer server = start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fake-providers-shutdown"));
  }

  /**
   * The text the fake of a provider ({@code openai}, {@code anthropic}, {@code gemini}, {@code bedrock},
   * {@code vertexai}, ...) answers for a model, when it answers with text and no output limit cuts it.
   */
  public static String replyText(String provider, String model) {
    return FakeAnswer.replyText(requireNonNull(provider, "provider"), requireNonNull(model, "model"));
  }

  public int port() {
    return port;
  }

  public String host() {
    return config.host();
  }

  /** {@code http://<host>:<port>}, without a trailing slash. */
  public String baseUrl() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return "http://" + host + ":" + port;
  }

  /** The requests received so far, oldest first (at most {@link FakeProviderConfig#maxRecordedRequests()}). */
  public List<RecordedRequest> requests() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  /**
   * Lets Bedrock accept requests signed with this AWS key ({@link #AWS_ACCESS_KEY_ID} is trusted from the
   * start). With a session token, as temporary credentials, requests must carry that token.
   */
  public void trustAwsKey(String accessKeyId, String secretAccessKey, @Nullable String sessionToken) {
    trusted.trustAwsKey(new TrustedCredentials.AwsKey(
        requireNonNull(accessKeyId, "accessKeyId"), requireNonNull(secretAccessKey, "secretAccessKey"), sessionToken));
  }

  /**
   * Lets the token endpoint ({@code POST /token}) issue access tokens to this service account: a JWT assertion
   * whose {@code iss} is {@code clientEmail} must verify with {@code publicKey}.
   */
  public void trustServiceAccount(String clientEmail, PublicKey publicKey) {
    trusted.trustServiceAccount(clientEmail, publicKey);
  }

  /** The URL of the fake Google token endpoint, for a service-account key's {@code token_uri}. */
  public String tokenUri() {
    return baseUrl() + GoogleTokenEndpoint.PATH;
  }

  /** Forgets the recorded requests. */
  public void clearRequests() {
    synchronized (recorded) {
      recorded.clear();
    }
  }

  /** Treats the next request to a provider path this way (queued behaviours are used one per request, in order). */
  public void enqueue(FakeBehaviour behaviour) {
    queued.add(requireNonNull(behaviour, "behaviour"));
  }

  /** Treats every request this way when no queued behaviour is left. */
  public void setDefaultBehaviour(FakeBehaviour behaviour) {
    defaultBehaviour = requireNonNull(behaviour, "behaviour");
  }

  /** Back to answering every request normally: clears the queue and the default. */
  public void resetBehaviours() {
    queued.clear();
    defaultBehaviour = FakeBehaviour.NORMAL;
  }

  /** Stops listening. Calling it again does nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      undertow.stop();
      LOG.info("fake providers on {} stopped", baseUrl());
    }
  }

  @Override
  public String toString() {
    return "FakeProviderServer[" + baseUrl() + "]";
  }

  private void handle(HttpServerExchange exchange) {
    exchange.getRequestReceiver().receiveFullBytes(
        // Dispatched on the same IO thread: the exchange then stays open when the callback returns, until the
        // response or the stream ends it, even while a delayed event waits (Undertow ends an exchange whose
        // handler returns neither dispatched nor waiting on a channel).
        (ex, body) -> ex.dispatch(SameThreadExecutor.INSTANCE, () -> respondSafely(ex, body)),
        (ex, e) -> {
          if (e instanceof RequestTooBigException) {
            ex.setStatusCode(413);
            ex.endExchange();
          } else {
            LOG.debug("cannot read a request body: {}", e.toString());
            IoUtils.safeClose(ex.getConnection());
          }
        });
  }

  private void respondSafely(HttpServerExchange exchange, byte[] body) {
    try {
      respond(exchange, body);
    } catch (RuntimeException e) {
      LOG.error("fake providers: cannot answer {} {}", exchange.getRequestMethod(), exchange.getRequestPath(), e);
      if (!exchange.isResponseStarted()) {
        exchange.setStatusCode(500);
        exchange.endExchange();
      } else {
        IoUtils.safeClose(exchange.getConnection());
      }
    }
  }

  private void respond(HttpServerExchange exchange, byte[] bodyBytes) {
    long seq = sequence.incrementAndGet();
    String method = exchange.getRequestMethod().toString();
    String path = exchange.getRequestPath();
    Incoming incoming = new Incoming(method, rawPath(exchange.getRequestURI()), exchange.getQueryString(),
        exchange.getRequestHeaders(), bodyBytes, trusted);
    if (path.equals(GoogleTokenEndpoint.PATH)) {
      GoogleTokenEndpoint.Answer answer = GoogleTokenEndpoint.exchange(incoming);
      record(exchange, "google-oauth", bodyBytes, new RecordedRequest.Reply(answer.status(), false, 0, 0));
      sendJson(exchange, answer.status(), answer.body(), List.of());
      return;
    }
    CloudPath cloud = CloudPath.parse(incoming.rawPath());
    FakeUtilities.Route utility = FakeUtilities.route(path, cloud, exchange.getRequestHeaders());
    if (utility != null) {
      respondUtility(exchange, utility, incoming, seq);
      return;
    }
    Route route = cloud != null ? cloudRoute(cloud) : route(path);
    if (route == null) {
      record(exchange, null, bodyBytes, new RecordedRequest.Reply(404, false, 0, 0));
      sendJson(exchange, 404, unknownPath(method, path), List.of());
      return;
    }
    ProviderApi api = route.api();
    Plan plan;
    FakeBehaviour behaviour = FakeBehaviour.NORMAL;
    try {
      behaviour = behaviourFor(exchange.getRequestHeaders());
      plan = plan(exchange, api, route, incoming, behaviour);
    } catch (ApiError.Refused e) {
      plan = new Plan.Error(e.error());
    }
    RecordedRequest.Reply reply = plan instanceof Plan.Answer answer
        ? new RecordedRequest.Reply(
            200, answer.input().stream(), answer.input().inputTokens(), answer.answer().outputTokens())
        : new RecordedRequest.Reply(((Plan.Error) plan).error().status(), false, 0, 0);
    record(exchange, api.name(), bodyBytes, reply);
    Plan chosen = plan;
    FakeBehaviour applied = behaviour;
    Runnable send = () -> deliver(exchange, api, chosen, applied, seq);
    long delay = behaviour.firstByteDelay().toMillis();
    if (delay > 0) {
      exchange.getIoThread().executeAfter(() -> runSafely(exchange, send), delay, TimeUnit.MILLISECONDS);
    } else {
      send.run();
    }
  }

  /** An endpoint other than chat: answered at once, in the provider's shape, failures injected as for chat. */
  private void respondUtility(HttpServerExchange exchange, FakeUtilities.Route route, Incoming incoming, long seq) {
    byte[] bodyBytes = incoming.body();
    ProviderApi api = route.api();
    ApiError error = null;
    FakeUtilities.Answer answer = null;
    FakeBehaviour behaviour = FakeBehaviour.NORMAL;
    try {
      behaviour = behaviourFor(exchange.getRequestHeaders());
      if (!exchange.getRequestMethod().toString().equals(route.method())) {
        error = api.errorFor(405).withMessage(
            "Method " + exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath());
      } else {
        error = api.authenticate(incoming);
      }
      if (error == null && behaviour.status() != null) {
        error = api.errorFor(behaviour.status());
      }
      if (error == null) {
        JsonNode body;
        try {
          body = bodyBytes.length == 0 ? JsonNodeFactory.instance.objectNode() : mapper.readTree(bodyBytes);
        } catch (IOException e) {
          throw new ApiError.Refused(api.notJson());
        }
        answer = FakeUtilities.answer(route, body);
      }
    } catch (ApiError.Refused e) {
      error = e.error();
    }
    record(exchange, api.name(), bodyBytes, error != null
        ? new RecordedRequest.Reply(error.status(), false, 0, 0)
        : new RecordedRequest.Reply(200, false, answer.inputTokens(), 0));
    if (behaviour.reset()) {
      IoUtils.safeClose(exchange.getConnection());
      return;
    }
    List<String[]> headers = new ArrayList<>(error != null ? api.errorHeaders(error, seq) : api.responseHeaders(seq));
    if (error != null) {
      if (behaviour.retryAfterSeconds() != null) {
        headers.add(new String[] {RETRY_AFTER.toString(), String.valueOf(behaviour.retryAfterSeconds())});
      }
      sendJson(exchange, error.status(), api.errorBody(error, seq), headers);
    } else {
      sendJson(exchange, 200, ProviderApi.json(answer.body()), headers);
    }
  }

  private Plan plan(HttpServerExchange exchange, ProviderApi api, Route route, Incoming incoming, FakeBehaviour behaviour) {
    byte[] bodyBytes = incoming.body();
    if (!exchange.getRequestMethod().equals(Methods.POST)) {
      return new Plan.Error(api.errorFor(405).withMessage(
          "Method " + exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath()));
    }
    ApiError unauthenticated = api.authenticate(incoming);
    if (unauthenticated != null) {
      return new Plan.Error(unauthenticated);
    }
    if (route.unknownMethod() != null) {
      return new Plan.Error(api.errorFor(404).withMessage("models/" + route.model() + ":" + route.unknownMethod()
          + " is not served by this fake (it serves generateContent and streamGenerateContent)"));
    }
    if (route.stream() && route.altSse() && !"sse".equals(exchange.getQueryParameters()
        .getOrDefault("alt", new ArrayDeque<>()).peekFirst())) {
      return new Plan.Error(api.errorFor(400).withMessage(
          "this fake serves streamGenerateContent only with alt=sse (server-sent events)"));
    }
    JsonNode body;
    try {
      body = bodyBytes.length == 0 ? JsonNodeFactory.instance.missingNode() : mapper.readTree(bodyBytes);
    } catch (IOException e) {
      return new Plan.Error(api.notJson());
    }
    ChatInput input = api.parse(body, route.model(), route.stream());
    Integer status = behaviour.status();
    if (status != null) {
      return new Plan.Error(api.errorFor(status));
    }
    return new Plan.Answer(input, FakeAnswer.decide(api.name(), input));
  }

  private void deliver(HttpServerExchange exchange, ProviderApi api, Plan plan, FakeBehaviour behaviour, long seq) {
    if (behaviour.reset()) {
      IoUtils.safeClose(exchange.getConnection());
      return;
    }
    List<String[]> headers = new ArrayList<>(plan instanceof Plan.Error failed
        ? api.errorHeaders(failed.error(), seq) : api.responseHeaders(seq));
    if (plan instanceof Plan.Error error) {
      Integer retryAfter = behaviour.retryAfterSeconds();
      if (retryAfter != null) {
        headers.add(new String[] {RETRY_AFTER.toString(), String.valueOf(retryAfter)});
      }
      sendJson(exchange, error.error().status(), api.errorBody(error.error(), seq), headers);
    } else {
      Plan.Answer answer = (Plan.Answer) plan;
      long created = config.clock().instant().getEpochSecond();
      if (answer.input().stream()) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, api.eventStreamContentType());
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        // chunked even when the client asked to close the connection: only then is a cut stream told apart
        // from a complete one
        exchange.getResponseHeaders().put(Headers.TRANSFER_ENCODING, "chunked");
        headers.forEach(h -> exchange.getResponseHeaders().put(new HttpString(h[0]), h[1]));
        Duration chunkDelay = behaviour.chunkDelay();
        List<byte[]> events = api.streamEvents(answer.input(), answer.answer(), seq, created);
        new SseStream(exchange, events, chunkDelay != null ? chunkDelay : config.chunkDelay(),
            behaviour.cutStreamAfterEvents()).start();
      } else {
        sendJson(exchange, 200, api.response(answer.input(), answer.answer(), seq, created), headers);
      }
    }
  }

  private static void sendJson(HttpServerExchange exchange, int status, byte[] body, List<String[]> headers) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    headers.forEach(h -> exchange.getResponseHeaders().put(new HttpString(h[0]), h[1]));
    exchange.getResponseSender().send(ByteBuffer.wrap(body));
  }

  private static byte[] unknownPath(String method, String path) {
    var body = JsonNodeFactory.instance.objectNode();
    body.putObject("error").put("message", "no fake provider serves " + method + " " + path + " (served: " + SERVED
        + ")");
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void runSafely(HttpServerExchange exchange, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.error("fake providers: cannot answer {} {}", exchange.getRequestMethod(), exchange.getRequestPath(), e);
      IoUtils.safeClose(exchange.getConnection());
    }
  }

  private FakeBehaviour behaviourFor(HeaderMap headers) {
    FakeBehaviour queuedBehaviour = queued.poll();
    FakeBehaviour behaviour = queuedBehaviour != null ? queuedBehaviour : defaultBehaviour;
    try {
      String status = headers.getFirst("x-fake-status");
      if (status != null) {
        behaviour = behaviour.withStatus(headerInt("x-fake-status", status));
      }
      String retryAfter = headers.getFirst("x-fake-retry-after");
      if (retryAfter != null) {
        behaviour = behaviour.withRetryAfter(headerInt("x-fake-retry-after", retryAfter));
      }
      String cut = headers.getFirst("x-fake-cut-stream");
      if (cut != null) {
        behaviour = behaviour.withCutStreamAfter(headerInt("x-fake-cut-stream", cut));
      }
      String delay = headers.getFirst("x-fake-delay-ms");
      if (delay != null) {
        behaviour = behaviour.withFirstByteDelay(Duration.ofMillis(headerInt("x-fake-delay-ms", delay)));
      }
      String chunkDelay = headers.getFirst("x-fake-chunk-delay-ms");
      if (chunkDelay != null) {
        behaviour = behaviour.withChunkDelay(Duration.ofMillis(headerInt("x-fake-chunk-delay-ms", chunkDelay)));
      }
      String reset = headers.getFirst("x-fake-reset");
      if (reset != null) {
        behaviour = behaviour.withReset(Boolean.parseBoolean(reset.strip()));
      }
    } catch (IllegalArgumentException e) {
      throw new ApiError.Refused(new ApiError(400, "invalid_request_error", e.getMessage()));
    }
    return behaviour;
  }

  private static int headerInt(String name, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: a whole number)", e);
    }
  }

  private void record(HttpServerExchange exchange, @Nullable String provider, byte[] body, RecordedRequest.Reply reply) {
    if (config.maxRecordedRequests() == 0) {
      return;
    }
    Map<String, List<String>> headers = new TreeMap<>();
    for (HeaderValues values : exchange.getRequestHeaders()) {
      headers.computeIfAbsent(values.getHeaderName().toString().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .addAll(values);
    }
    headers.replaceAll((name, values) -> List.copyOf(values));
    RecordedRequest request = new RecordedRequest(
        provider,
        exchange.getRequestMethod().toString(),
        exchange.getRequestPath(),
        exchange.getQueryString(),
        headers,
        new String(body, StandardCharsets.UTF_8),
        reply);
    synchronized (recorded) {
      if (recorded.size() == config.maxRecordedRequests()) {
        recorded.removeFirst();
      }
      recorded.addLast(request);
    }
  }

  private static @Nullable Route route(String path) {
    if (path.equals("/v1/chat/completions")) {
      return new Route(OPENAI, null, false, null, false);
    }
    if (path.equals("/v1/responses")) {
      return new Route(OPENAI_RESPONSES, null, false, null, false);
    }
    if (path.equals("/openai/v1/chat/completions")) {
      return new Route(AZURE, null, false, null, false);
    }
    if (path.equals("/openai/v1/responses")) {
      return new Route(AZURE_RESPONSES, null, false, null, false);
    }
    if (path.equals("/v1/messages")) {
      return new Route(ANTHROPIC, null, false, null, false);
    }
    if (path.startsWith(GEMINI_PREFIX)) {
      String rest = path.substring(GEMINI_PREFIX.length());
      int colon = rest.lastIndexOf(':');
      if (colon <= 0 || rest.substring(0, colon).contains("/")) {
        return null;
      }
      String model = rest.substring(0, colon);
      String method = rest.substring(colon + 1);
      return switch (method) {
        case "generateContent" -> new Route(GEMINI, model, false, null, true);
        case "streamGenerateContent" -> new Route(GEMINI, model, true, null, true);
        default -> new Route(GEMINI, model, false, method, true);
      };
    }
    return null;
  }

  /** A Bedrock Converse path, or a Vertex AI Gemini or Claude path (whose other methods are utilities). */
  private static @Nullable Route cloudRoute(CloudPath path) {
    if (path.cloud() == CloudPath.Cloud.BEDROCK) {
      return switch (path.operation()) {
        case "converse" -> new Route(BEDROCK, path.model(), false, null, false);
        case "converse-stream" -> new Route(BEDROCK, path.model(), true, null, false);
        default -> null;
      };
    }
    return switch (path.publisher()) {
      case "google" -> switch (path.operation()) {
        case "generateContent" -> new Route(VERTEX_GEMINI, path.model(), false, null, true);
        case "streamGenerateContent" -> new Route(VERTEX_GEMINI, path.model(), true, null, true);
        default -> new Route(VERTEX_GEMINI, path.model(), false, path.operation(), true);
      };
      // a Claude request says in its body whether it streams
      case "anthropic" -> switch (path.operation()) {
        case "rawPredict", "streamRawPredict" -> new Route(VERTEX_CLAUDE, path.model(), false, null, false);
        default -> new Route(VERTEX_CLAUDE, path.model(), false, path.operation(), false);
      };
      default -> null;
    };
  }

  /** The path of a request URI as sent, without decoding (origin form or absolute form). */
  private static String rawPath(String requestUri) {
    if (requestUri.startsWith("/")) {
      return requestUri;
    }
    int scheme = requestUri.indexOf("://");
    if (scheme > 0) {
      int slash = requestUri.indexOf('/', scheme + 3);
      return slash < 0 ? "/" : requestUri.substring(slash);
    }
    return "/" + requestUri;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }

  /**
   * Which fake serves a path.
   *
   * @param model the model in a Gemini path
   * @param stream whether the path asks for a stream (Gemini)
   * @param unknownMethod a Gemini (or Vertex AI) method this fake does not serve
   * @param altSse whether a stream must be asked for with {@code alt=sse} (Gemini's server-sent events)
   */
  private record Route(
      ProviderApi api, @Nullable String model, boolean stream, @Nullable String unknownMethod, boolean altSse) {}

  /** What to answer. */
  private sealed interface Plan {
    record Error(ApiError error) implements Plan {}

    record Answer(ChatInput input, FakeAnswer answer) implements Plan {}
  }
}

package dev.tollway.edge.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.usage.RequestUsage;
import dev.tollway.schemas.snapshot.ApiKeySet.ClientApiKey;
import io.undertow.util.AttachmentKey;

/** The per-request state of the pipeline, one key per value, set by the handler that owns it. */
public final class Attachments {

  private Attachments() {}

  /** The declared port of the listener the request came in on (set per listener, before the chain). */
  public static final AttachmentKey<Integer> DECLARED_PORT = AttachmentKey.create(Integer.class);

  /** The request id, echoed as {@code x-request-id}. */
  public static final AttachmentKey<String> REQUEST_ID = AttachmentKey.create(String.class);

  /** What the request did, for its usage event. */
  public static final AttachmentKey<RequestUsage> USAGE = AttachmentKey.create(RequestUsage.class);

  /** The matched route with its filters applied. */
  public static final AttachmentKey<RouteDecision> ROUTE = AttachmentKey.create(RouteDecision.class);

  /** The client API key the request authenticated with (absent for anonymous requests). */
  public static final AttachmentKey<ClientApiKey> CALLER = AttachmentKey.create(ClientApiKey.class);

  /** The backend picked among the route's. */
  public static final AttachmentKey<ResolvedBackend> BACKEND = AttachmentKey.create(ResolvedBackend.class);

  /** The request body, read whole. */
  public static final AttachmentKey<byte[]> BODY = AttachmentKey.create(byte[].class);

  /** The request body parsed, when it is a JSON object (set before routing; policies edit it in place). */
  public static final AttachmentKey<ObjectNode> BODY_JSON = AttachmentKey.create(ObjectNode.class);

  /** The AI route type of the request ({@code Completions}, {@code Embeddings}, ...), on an AI backend. */
  public static final AttachmentKey<String> ROUTE_TYPE = AttachmentKey.create(String.class);

  /** The codec of the API the client speaks; errors are answered in its shape once known. */
  public static final AttachmentKey<ChatCodec> CLIENT_CODEC = AttachmentKey.create(ChatCodec.class);

  /** The client's chat request, as decoded (absent when it is relayed as {@link #SAME_API_BODY}). */
  public static final AttachmentKey<ChatRequest> CHAT_REQUEST = AttachmentKey.create(ChatRequest.class);

  /**
   * The client's chat body when it may go to the provider as it is, not decoded (absent when it was decoded
   * into {@link #CHAT_REQUEST}).
   */
  static final AttachmentKey<SameApiBody> SAME_API_BODY = AttachmentKey.create(SameApiBody.class);

  /** The provider chosen for the request and the model it gets. */
  public static final AttachmentKey<ProviderCall> PROVIDER_CALL = AttachmentKey.create(ProviderCall.class);

  /**
   * The provider of an AI request and the model sent to it.
   *
   * @param provider the chosen provider
   * @param model the model sent to the provider (the policy's and aliases' result)
   */
  public record ProviderCall(ResolvedProvider provider, String model) {}
}

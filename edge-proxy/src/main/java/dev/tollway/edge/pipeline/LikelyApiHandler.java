package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.llm.ChatFormat;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Gives errors answered before the client's API is known (a body too large, no route) the shape of the API
 * the path most likely speaks ({@link ClientApis#likelyFormat}): Anthropic's for {@code /v1/messages}, Gemini's
 * for {@code :generateContent}; OpenAI's otherwise, which is the error shape while no codec is set.
 */
final class LikelyApiHandler implements HttpHandler {

  private final PipelineContext context;
  private final HttpHandler next;

  LikelyApiHandler(PipelineContext context, HttpHandler next) {
    this.context = requireNonNull(context, "context");
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    ChatFormat likely = ClientApis.likelyFormat(RouteHandler.rawPath(exchange.getRequestURI()));
    if (likely != ChatFormat.OPENAI_CHAT) {
      context.protocols().clientCodec(likely).ifPresent(codec -> exchange.putAttachment(Attachments.CLIENT_CODEC, codec));
    }
    next.handleRequest(exchange);
  }
}

package dev.tollway.edge.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatMessage;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ContentPart;
import dev.tollway.edge.llm.GenerationParams;
import dev.tollway.edge.llm.ToolCall;
import dev.tollway.edge.llm.ToolChoice;
import dev.tollway.edge.llm.ToolDefinition;
import dev.tollway.edge.provider.wire.Reasoning;
import dev.tollway.edge.provider.wire.ToolArguments;
import dev.tollway.schemas.serde.Json;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Encodes a request for Bedrock {@code Converse} / {@code ConverseStream} from the neutral model (the model
 * goes in the path, not the body):
 *
 * <ul>
 *   <li>system and developer messages as {@code system} text blocks;
 *   <li>{@code messages} with roles {@code user} and {@code assistant}, consecutive turns of one role merged
 *       (Converse wants them to alternate), so parallel tool results land in one user turn;
 *   <li>content blocks {@code text} (empty text left out: Converse rejects blank text), {@code image}
 *       ({@code format} and base64 {@code source.bytes}; an {@code s3://} URL as {@code source.s3Location};
 *       other URLs are refused, Bedrock does not fetch them), {@code reasoningContent} (assistant reasoning
 *       that carries its signature), {@code toolUse} with the arguments parsed into {@code input}, and tool
 *       results as real {@code toolResult} blocks (a JSON object result as {@code json}, anything else as
 *       {@code text}) — never as plain user text, which makes models call the tool again;
 *   <li>{@code inferenceConfig} {@code maxTokens}, {@code temperature}, {@code topP}, {@code stopSequences};
 *   <li>{@code toolConfig} with {@code toolSpec}s and {@code toolChoice} ({@code auto}, {@code any},
 *       {@code tool}). Tool choice {@code none} sends no tools — unless the conversation already holds tool
 *       blocks, which Converse accepts only with a {@code toolConfig}: then the tools go without a choice;
 *   <li>a reasoning budget or effort, for Claude models, as {@code additionalModelRequestFields.thinking}
 *       (budget at least 1,024 and below {@code maxTokens}, which is 4,096 when the client gave none).
 * </ul>
 *
 * JSON mode ({@code response_format}), {@code seed} and {@code user} have no Converse field and are not sent.
 */
final class BedrockRequestEncoder {

  /** The {@code maxTokens} sent with thinking when the client set none. */
  static final long DEFAULT_MAX_TOKENS_WITH_THINKING = 4096;

  /** Claude's smallest thinking budget. */
  private static final long MIN_THINKING_BUDGET = 1024;

  private BedrockRequestEncoder() {}

  static ObjectNode encode(ChatRequest request) {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode messages = messages(request.messages());
    body.set("messages", messages);
    ArrayNode system = Json.mapper().createArrayNode();
    for (ChatMessage message : request.messages()) {
      if (message.role() == ChatMessage.Role.system && !message.text().isEmpty()) {
        system.addObject().put("text", message.text());
      }
    }
    if (!system.isEmpty()) {
      body.set("system", system);
    }
    GenerationParams params = request.params();
    Long budget = thinkingBudget(request);
    Long maxTokens = params.maxTokens();
    if (budget != null && maxTokens == null) {
      maxTokens = DEFAULT_MAX_TOKENS_WITH_THINKING;
    }
    ObjectNode inference = Json.mapper().createObjectNode();
    if (maxTokens != null) {
      inference.put("maxTokens", maxTokens);
    }
    if (params.temperature() != null) {
      inference.put("temperature", params.temperature());
    }
    if (params.topP() != null) {
      inference.put("topP", params.topP());
    }
    if (!params.stop().isEmpty()) {
      ArrayNode stop = inference.putArray("stopSequences");
      params.stop().forEach(stop::add);
    }
    if (!inference.isEmpty()) {
      body.set("inferenceConfig", inference);
    }
    toolConfig(body, request, hasToolBlocks(messages));
    if (budget != null && maxTokens != null) {
      long capped = Math.max(MIN_THINKING_BUDGET, Math.min(budget, maxTokens - 1));
      if (capped < maxTokens) {
        body.putObject("additionalModelRequestFields")
            .putObject("thinking")
            .put("type", "enabled")
            .put("budget_tokens", capped);
      }
    }
    return body;
  }

  /** The thinking budget to send: only Claude models take {@code thinking}, and only a positive budget. */
  private static @Nullable Long thinkingBudget(ChatRequest request) {
    String model = request.model();
    if (model == null || !model.toLowerCase(Locale.ROOT).contains("claude")) {
      return null;
    }
    Long budget = Reasoning.requestedBudget(request.params().reasoningBudgetTokens(), request.params().reasoningEffort());
    return budget != null && budget > 0 ? budget : null;
  }

  private static ArrayNode messages(List<ChatMessage> messages) {
    ArrayNode out = Json.mapper().createArrayNode();
    String currentRole = null;
    ArrayNode currentContent = null;
    for (ChatMessage message : messages) {
      if (message.role() == ChatMessage.Role.system) {
        continue;
      }
      String role = message.role() == ChatMessage.Role.assistant ? "assistant" : "user";
      ArrayNode blocks = blocks(message);
      if (blocks.isEmpty()) {
        continue;
      }
      if (role.equals(currentRole) && currentContent != null) {
        currentContent.addAll(blocks);
      } else {
        ObjectNode turn = out.addObject().put("role", role);
        currentContent = turn.putArray("content");
        currentContent.addAll(blocks);
        currentRole = role;
      }
    }
    return out;
  }

  private static ArrayNode blocks(ChatMessage message) {
    ArrayNode blocks = Json.mapper().createArrayNode();
    if (message.role() == ChatMessage.Role.tool) {
      ObjectNode result = blocks.addObject().putObject("toolResult");
      result.put("toolUseId", message.toolCallId() == null ? "" : message.toolCallId());
      ArrayNode content = result.putArray("content");
      JsonNode json = ToolArguments.parseValue(message.text()).orElse(null);
      if (json instanceof ObjectNode object) {
        content.addObject().set("json", object);
      } else {
        content.addObject().put("text", message.text());
      }
      return blocks;
    }
    boolean assistant = message.role() == ChatMessage.Role.assistant;
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Reasoning reasoning) {
        // reasoning goes back only on assistant turns and with its signature, as Claude requires
        if (assistant && reasoning.signature() != null) {
          blocks.addObject()
              .putObject("reasoningContent")
              .putObject("reasoningText")
              .put("text", reasoning.text())
              .put("signature", reasoning.signature());
        }
      }
    }
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Text text) {
        if (!text.text().isEmpty()) {
          blocks.addObject().put("text", text.text());
        }
      } else if (part instanceof ContentPart.Image image) {
        blocks.addObject().set("image", image(image));
      }
    }
    for (ToolCall call : message.toolCalls()) {
      ObjectNode use = blocks.addObject().putObject("toolUse");
      use.put("toolUseId", call.id());
      use.put("name", call.name());
      use.set(
          "input",
          ToolArguments.parse(call.arguments())
              .orElseThrow(
                  () ->
                      new GatewayException(
                          ErrorReason.INVALID_REQUEST,
                          "tool call " + call.id() + ": arguments are not a JSON object")));
    }
    return blocks;
  }

  private static ObjectNode image(ContentPart.Image image) {
    ObjectNode out = Json.mapper().createObjectNode();
    String url = image.url();
    if (url != null) {
      if (!url.regionMatches(true, 0, "s3://", 0, 5)) {
        throw new GatewayException(
            ErrorReason.INVALID_REQUEST,
            "image " + shorten(url) + ": Bedrock does not fetch image URLs; send the image inline (a data: URL) "
                + "or as an s3:// location");
      }
      out.put("format", formatFromName(url));
      out.putObject("source").putObject("s3Location").put("uri", url);
      return out;
    }
    out.put("format", formatFromMediaType(image.mediaType()));
    out.putObject("source").put("bytes", image.base64Data() == null ? "" : image.base64Data());
    return out;
  }

  private static String formatFromMediaType(@Nullable String mediaType) {
    String type = mediaType == null ? "image/png" : mediaType.toLowerCase(Locale.ROOT);
    return switch (type) {
      case "image/png" -> "png";
      case "image/jpeg", "image/jpg" -> "jpeg";
      case "image/gif" -> "gif";
      case "image/webp" -> "webp";
      default ->
          throw new GatewayException(
              ErrorReason.INVALID_REQUEST,
              "image of type " + type + ": Bedrock takes png, jpeg, gif or webp images");
    };
  }

  private static String formatFromName(String url) {
    String name = url.toLowerCase(Locale.ROOT);
    int query = name.indexOf('?');
    if (query >= 0) {
      name = name.substring(0, query);
    }
    if (name.endsWith(".png")) {
      return "png";
    }
    if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
      return "jpeg";
    }
    if (name.endsWith(".gif")) {
      return "gif";
    }
    if (name.endsWith(".webp")) {
      return "webp";
    }
    throw new GatewayException(
        ErrorReason.INVALID_REQUEST,
        "image " + shorten(url) + ": the format of an s3:// image is read from its name (.png, .jpg, .jpeg, .gif, .webp)");
  }

  private static String shorten(String url) {
    return url.length() <= 80 ? url : url.substring(0, 80) + "...";
  }

  private static boolean hasToolBlocks(ArrayNode messages) {
    for (JsonNode message : messages) {
      for (JsonNode block : message.path("content")) {
        if (block.has("toolUse") || block.has("toolResult")) {
          return true;
        }
      }
    }
    return false;
  }

  private static void toolConfig(ObjectNode body, ChatRequest request, boolean historyHasToolBlocks) {
    ToolChoice choice = request.toolChoice();
    boolean none = choice != null && choice.mode() == ToolChoice.Mode.none;
    if (request.tools().isEmpty() || (none && !historyHasToolBlocks)) {
      return;
    }
    ObjectNode config = body.putObject("toolConfig");
    ArrayNode tools = config.putArray("tools");
    for (ToolDefinition tool : request.tools()) {
      ObjectNode spec = tools.addObject().putObject("toolSpec");
      spec.put("name", tool.name());
      if (tool.description() != null && !tool.description().isEmpty()) {
        spec.put("description", tool.description());
      }
      spec.putObject("inputSchema").set("json", tool.parameters());
    }
    if (choice == null || none) {
      return;
    }
    ObjectNode out = config.putObject("toolChoice");
    switch (choice.mode()) {
      case auto -> out.putObject("auto");
      case required -> out.putObject("any");
      case tool -> {
        if (choice.name() == null) {
          out.putObject("any");
        } else {
          out.putObject("tool").put("name", choice.name());
        }
      }
      case none -> {
        // handled above
      }
    }
  }
}

package dev.tollway.edge.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatFormat;
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
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Encodes a request for Anthropic Messages. From the neutral model: system and developer messages joined
 * into {@code system}; consecutive turns of the same role merged (Anthropic wants user and assistant to
 * alternate), so parallel tool results land in one user turn as {@code tool_result} blocks; tool calls as
 * {@code tool_use} blocks with their arguments parsed into {@code input}; images as base64 or URL sources;
 * {@code max_tokens} always set (4096 when the client gave none, as agentgateway does); a reasoning budget
 * or effort as {@code thinking}. A request that came in as Anthropic keeps its body with the model and the
 * required {@code max_tokens} patched.
 */
final class AnthropicRequestEncoder {

  /** The {@code max_tokens} sent when the client set none. */
  static final long DEFAULT_MAX_TOKENS = 4096;

  /** Anthropic's smallest thinking budget. */
  private static final long MIN_THINKING_BUDGET = 1024;

  private AnthropicRequestEncoder() {}

  static ObjectNode encode(ChatRequest request) {
    if (request.format() == ChatFormat.ANTHROPIC_MESSAGES && request.original() instanceof ObjectNode original) {
      ObjectNode body = original.deepCopy();
      if (request.model() != null) {
        body.put("model", request.model());
      }
      JsonNode maxTokens = body.get("max_tokens");
      if (maxTokens == null || maxTokens.isNull()) {
        body.put("max_tokens", DEFAULT_MAX_TOKENS);
      }
      return body;
    }
    return build(request);
  }

  private static ObjectNode build(ChatRequest request) {
    ObjectNode body = Json.mapper().createObjectNode();
    if (request.model() != null) {
      body.put("model", request.model());
    }
    GenerationParams params = request.params();
    long maxTokens = params.maxTokens() != null ? params.maxTokens() : DEFAULT_MAX_TOKENS;
    body.put("max_tokens", maxTokens);
    String system = system(request.messages());
    if (!system.isEmpty()) {
      body.put("system", system);
    }
    body.set("messages", messages(request.messages()));
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition tool : request.tools()) {
        ObjectNode entry = tools.addObject().put("name", tool.name());
        if (tool.description() != null) {
          entry.put("description", tool.description());
        }
        entry.set("input_schema", tool.parameters());
      }
      toolChoice(body, request.toolChoice());
    }
    if (!params.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop_sequences");
      params.stop().forEach(stop::add);
    }
    if (params.temperature() != null) {
      body.put("temperature", params.temperature());
    }
    if (params.topP() != null) {
      body.put("top_p", params.topP());
    }
    Long budget = Reasoning.requestedBudget(params.reasoningBudgetTokens(), params.reasoningEffort());
    if (budget != null && budget > 0) {
      long capped = Math.max(MIN_THINKING_BUDGET, Math.min(budget, maxTokens - 1));
      if (capped < maxTokens) {
        body.putObject("thinking").put("type", "enabled").put("budget_tokens", capped);
      }
    }
    if (params.user() != null) {
      body.putObject("metadata").put("user_id", params.user());
    }
    if (request.stream()) {
      body.put("stream", true);
    }
    return body;
  }

  private static String system(List<ChatMessage> messages) {
    List<String> parts = new ArrayList<>();
    for (ChatMessage message : messages) {
      if (message.role() == ChatMessage.Role.system && !message.text().isEmpty()) {
        parts.add(message.text());
      }
    }
    return String.join("\n\n", parts);
  }

  private static ArrayNode messages(List<ChatMessage> messages) {
    ArrayNode out = Json.mapper().createArrayNode();
    String currentRole = null;
    ArrayNode currentBlocks = null;
    for (ChatMessage message : messages) {
      if (message.role() == ChatMessage.Role.system) {
        continue;
      }
      String role = message.role() == ChatMessage.Role.assistant ? "assistant" : "user";
      ArrayNode blocks = blocks(message);
      if (blocks.isEmpty()) {
        continue;
      }
      if (role.equals(currentRole) && currentBlocks != null) {
        currentBlocks.addAll(blocks);
      } else {
        ObjectNode turn = out.addObject().put("role", role);
        currentBlocks = turn.putArray("content");
        currentBlocks.addAll(blocks);
        currentRole = role;
      }
    }
    // a turn of one text block reads best as a plain string, as in Anthropic's own examples
    for (JsonNode turn : out) {
      JsonNode content = turn.get("content");
      if (content.size() == 1 && "text".equals(content.get(0).path("type").asText())) {
        ((ObjectNode) turn).put("content", content.get(0).get("text").textValue());
      }
    }
    return out;
  }

  private static ArrayNode blocks(ChatMessage message) {
    ArrayNode blocks = Json.mapper().createArrayNode();
    if (message.role() == ChatMessage.Role.tool) {
      ObjectNode result = blocks.addObject().put("type", "tool_result");
      result.put("tool_use_id", message.toolCallId() == null ? "" : message.toolCallId());
      result.put("content", message.text());
      return blocks;
    }
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Text text) {
        if (!text.text().isEmpty()) {
          blocks.addObject().put("type", "text").put("text", text.text());
        }
      } else if (part instanceof ContentPart.Image image) {
        blocks.add(image(image));
      } else if (part instanceof ContentPart.Reasoning reasoning) {
        // thinking goes back only with its signature, and only on assistant turns
        if (message.role() == ChatMessage.Role.assistant && reasoning.signature() != null) {
          blocks
              .addObject()
              .put("type", "thinking")
              .put("thinking", reasoning.text())
              .put("signature", reasoning.signature());
        }
      }
    }
    for (ToolCall call : message.toolCalls()) {
      ObjectNode use = blocks.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name());
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
    ObjectNode block = Json.mapper().createObjectNode().put("type", "image");
    ObjectNode source = block.putObject("source");
    if (image.url() != null) {
      source.put("type", "url").put("url", image.url());
    } else {
      source.put("type", "base64");
      source.put("media_type", image.mediaType() == null ? "image/png" : image.mediaType());
      source.put("data", image.base64Data() == null ? "" : image.base64Data());
    }
    return block;
  }

  private static void toolChoice(ObjectNode body, @Nullable ToolChoice choice) {
    if (choice == null) {
      return;
    }
    ObjectNode out = body.putObject("tool_choice");
    switch (choice.mode()) {
      case auto -> out.put("type", "auto");
      case none -> out.put("type", "none");
      case required -> out.put("type", "any");
      case tool -> {
        out.put("type", "tool");
        if (choice.name() != null) {
          out.put("name", choice.name());
        }
      }
    }
    if (Boolean.FALSE.equals(choice.parallel()) && choice.mode() != ToolChoice.Mode.none) {
      out.put("disable_parallel_tool_use", true);
    }
  }
}

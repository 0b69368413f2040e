package dev.tollway.edge.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Hostile variations of valid JSON documents, reproducible from a seed: values replaced by other types, huge or
 * negative numbers, long or odd strings, deep nesting, fields removed or renamed; and byte-level damage (cuts,
 * flipped bytes, invalid UTF-8).
 */
final class Mutator {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final Random random;

  Mutator(long seed) {
    this.random = new Random(seed);
  }

  Random random() {
    return random;
  }

  /** A copy of {@code document} with one to four structural mutations. */
  JsonNode mutate(JsonNode document) {
    JsonNode copy = document.deepCopy();
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      List<JsonNode> containers = new ArrayList<>();
      collect(copy, containers);
      JsonNode target = containers.get(random.nextInt(containers.size()));
      if (target instanceof ObjectNode object && object.size() > 0) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        String name = names.get(random.nextInt(names.size()));
        switch (random.nextInt(4)) {
          case 0 -> object.remove(name);
          case 1 -> object.set(name + (random.nextBoolean() ? "x" : ""), hostileValue());
          default -> object.set(name, hostileValue());
        }
      } else if (target instanceof ArrayNode array && array.size() > 0) {
        int index = random.nextInt(array.size());
        if (random.nextBoolean()) {
          array.set(index, hostileValue());
        } else {
          array.insert(index, hostileValue());
        }
      }
    }
    return copy;
  }

  /** Bytes of a document, damaged at the byte level. */
  byte[] damage(byte[] bytes) {
    byte[] out = bytes.clone();
    switch (random.nextInt(4)) {
      case 0 -> {
        return java.util.Arrays.copyOf(out, random.nextInt(Math.max(1, out.length)));
      }
      case 1 -> {
        for (int i = 0; i < 1 + random.nextInt(5); i++) {
          out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
      }
      case 2 -> {
        int at = random.nextInt(out.length);
        out[at] = (byte) 0xC3;
        if (at + 1 < out.length) {
          out[at + 1] = (byte) 0x28; // an invalid UTF-8 continuation
        }
        return out;
      }
      default -> {
        byte[] noise = new byte[random.nextInt(64)];
        random.nextBytes(noise);
        return noise;
      }
    }
  }

  private JsonNode hostileValue() {
    return switch (random.nextInt(16)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextLong());
      case 3 -> NODES.numberNode(new BigInteger("9".repeat(1 + random.nextInt(60))));
      case 4 -> NODES.numberNode(-1 - random.nextInt(1000));
      case 5 -> NODES.numberNode(random.nextDouble() * 1e300);
      case 6 -> NODES.textNode("");
      case 7 -> NODES.textNode("x".repeat(random.nextInt(100_000)));
      case 8 -> NODES.textNode("\u0000\uFFFF\uD83D\uDE00 \"quoted\" \\ </script>");
      case 9 -> NODES.arrayNode();
      case 10 -> NODES.objectNode();
      case 11 -> deep(1 + random.nextInt(50));
      case 12 -> {
        ArrayNode many = NODES.arrayNode();
        for (int i = 0; i < random.nextInt(2_000); i++) {
          many.add(NODES.objectNode().put("role", "user").put("content", "hi"));
        }
        yield many;
      }
      case 13 -> NODES.objectNode().put("type", "unknown-" + random.nextInt(9)).put("text", 42);
      case 14 -> NODES.numberNode(Double.NaN == 0 ? 0 : Integer.MAX_VALUE);
      default -> NODES.textNode(new String(new byte[] {(byte) random.nextInt(128)}, StandardCharsets.ISO_8859_1));
    };
  }

  private JsonNode deep(int depth) {
    JsonNode node = NODES.textNode("bottom");
    for (int i = 0; i < depth; i++) {
      node = random.nextBoolean() ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
    }
    return node;
  }

  private static void collect(JsonNode node, List<JsonNode> containers) {
    if (node.isContainerNode()) {
      containers.add(node);
      Iterator<JsonNode> children = node.elements();
      while (children.hasNext()) {
        collect(children.next(), containers);
      }
    }
  }
}

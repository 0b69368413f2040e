package dev.tollway.config;

import dev.tollway.config.model.ClusterState;
import dev.tollway.schemas.crypto.SnapshotCipher;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Test fixtures: Kubernetes YAML from strings or classpath files, a fixed snapshot key. */
public final class Manifests {

  /** A fixed key, so that sealed values are the same in every run. */
  public static final String KEY = Base64.getEncoder().encodeToString(
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

  public static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Manifests() {}

  public static SnapshotCipher cipher() {
    return SnapshotCipher.fromBase64(KEY);
  }

  /** The objects of a (multi-document) YAML text, in order. */
  public static List<HasMetadata> yaml(String text) {
    Object parsed = SERIALIZATION.unmarshal(text);
    List<HasMetadata> resources = new ArrayList<>();
    if (parsed instanceof List<?> list) {
      list.forEach(o -> resources.add((HasMetadata) o));
    } else if (parsed != null) {
      resources.add((HasMetadata) parsed);
    }
    return resources;
  }

  /** The objects of classpath resources, in the order given (later ones replace earlier ones by name). */
  public static List<HasMetadata> files(String... paths) {
    List<HasMetadata> resources = new ArrayList<>();
    for (String path : paths) {
      resources.addAll(yaml(text(path)));
    }
    return resources;
  }

  public static String text(String path) {
    try (InputStream in = Manifests.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A state built by applying the resources in order. */
  public static ClusterState state(List<HasMetadata> resources) {
    ClusterState.Builder builder = ClusterState.builder();
    resources.forEach(builder::add);
    return builder.build();
  }

  /** The state of the given classpath files applied in order. */
  public static ClusterState seed(String... paths) {
    return state(files(paths));
  }
}

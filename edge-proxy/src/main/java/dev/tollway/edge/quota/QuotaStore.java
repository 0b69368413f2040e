package dev.tollway.edge.quota;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.serde.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The quota decisions in force, kept in one file of the state directory so that a proxy restarted while Kafka
 * is down still refuses the subjects that were blocked. Replaced atomically (temporary file, then move).
 */
public final class QuotaStore {

  static final String FILE = "quota-decisions.json";
  private static final TypeReference<List<QuotaDecision>> LIST = new TypeReference<>() {};

  private final Path dir;

  public QuotaStore(Path dir) {
    this.dir = requireNonNull(dir, "dir");
  }

  public Path file() {
    return dir.resolve(FILE);
  }

  /** The decisions kept, none when there is no file. */
  public List<QuotaDecision> load() throws IOException {
    Path file = file();
    if (!Files.exists(file)) {
      return List.of();
    }
    return Json.mapper().readValue(Files.readAllBytes(file), LIST);
  }

  /** Replaces the kept decisions. */
  public void save(List<QuotaDecision> decisions) throws IOException {
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".tmp-", ".json");
    try {
      Files.write(temp, Json.mapper().writeValueAsBytes(decisions));
      try {
        Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file(), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}

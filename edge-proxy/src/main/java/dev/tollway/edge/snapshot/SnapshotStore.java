package dev.tollway.edge.snapshot;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last good snapshot of each Gateway on local disk, as the bytes that came from the topic (they hold only
 * sealed secrets). A file is replaced atomically: written to a temporary file, then moved over the old one.
 */
public final class SnapshotStore {

  private static final String PREFIX = "snapshot-";
  private static final String SUFFIX = ".json";

  private final Path dir;

  public SnapshotStore(Path dir) {
    this.dir = requireNonNull(dir, "dir");
  }

  public Path dir() {
    return dir;
  }

  /** Every stored snapshot, by Gateway key; unreadable files are skipped by the caller's decoding. */
  public Map<String, byte[]> loadAll() {
    Map<String, byte[]> all = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return all;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String encoded = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
        all.put(URLDecoder.decode(encoded, StandardCharsets.UTF_8), Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read snapshots from " + dir, e);
    }
    return all;
  }

  /** Replaces the stored snapshot of a Gateway. */
  public void save(String gateway, byte[] bytes) throws IOException {
    Files.createDirectories(dir);
    Path target = fileOf(gateway);
    Path temp = Files.createTempFile(dir, ".tmp-", SUFFIX);
    try {
      Files.write(temp, bytes);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Forgets the snapshot of a deleted Gateway. */
  public void delete(String gateway) throws IOException {
    Files.deleteIfExists(fileOf(gateway));
  }

  Path fileOf(String gateway) {
    return dir.resolve(PREFIX + URLEncoder.encode(gateway, StandardCharsets.UTF_8) + SUFFIX);
  }
}

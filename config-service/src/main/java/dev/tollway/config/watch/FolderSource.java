package dev.tollway.config.watch;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.model.ClusterState;
import dev.tollway.config.model.Resources;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of Kubernetes YAML as the source of resources, for local use: every {@code *.yaml}, {@code *.yml}
 * and {@code *.json} file below the folder (hidden files and folders excepted), multi-document files
 * included. Files are read in the order of their paths relative to the folder, documents in file order; a
 * later document with the same kind, namespace and name replaces the earlier one, as a second
 * {@code kubectl apply} would. Deleting a file removes its resources at the next read.
 *
 * <p>{@code ${NAME}} in string values expands to the environment variable {@code NAME} of the injected
 * environment ({@code $${NAME}} stays literal); an unset variable expands to empty and is reported.
 */
public final class FolderSource implements ConfigSource {

  /** How long the folder must be quiet before a change is signalled. */
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(100);

  /** Files larger than this are skipped and reported. */
  static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(FolderSource.class);

  private final Path root;
  private final Duration debounce;
  private final DocumentParser parser;
  private volatile @Nullable DirectoryWatcher watcher;

  /**
   * @param root the folder
   * @param environment the variables {@code ${NAME}} may refer to
   * @param debounce how long the folder must be quiet before a change is signalled
   */
  public FolderSource(Path root, Map<String, String> environment, Duration debounce) {
    this.root = requireNonNull(root, "root");
    this.debounce = requireNonNull(debounce, "debounce");
    this.parser = new DocumentParser(new KubernetesSerialization(), new EnvExpander(environment));
  }

  public FolderSource(Path root, Map<String, String> environment) {
    this(root, environment, DEFAULT_DEBOUNCE);
  }

  public Path root() {
    return root;
  }

  @Override
  public SourceState read() throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "not a folder");
    }
    Path realRoot = root.toRealPath();
    List<SourceProblem> problems = new ArrayList<>();
    ClusterState.Builder state = ClusterState.builder();
    Map<String, String> origin = new HashMap<>();
    for (Map.Entry<String, Path> file : files(realRoot, problems).entrySet()) {
      List<DocumentParser.Parsed> parsed = new ArrayList<>();
      readFile(file.getKey(), file.getValue(), parsed, problems);
      for (DocumentParser.Parsed p : parsed) {
        ClusterState.Added added = state.add(p.resource());
        String id = Resources.describe(p.resource());
        if (added == ClusterState.Added.IGNORED) {
          log.debug("{}: {} is not a kind config-service reads; ignored", p.location(), id);
        } else if (added == ClusterState.Added.REPLACED) {
          log.debug("{}: {} replaces the one from {}", p.location(), id, origin.get(id));
        }
        origin.put(id, p.location());
      }
    }
    return new SourceState(state.build(), problems);
  }

  private void readFile(String relative, Path file, List<DocumentParser.Parsed> out, List<SourceProblem> problems) {
    String text;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        problems.add(new SourceProblem(relative, "larger than " + MAX_FILE_BYTES / 1024 / 1024 + " MiB; skipped"));
        return;
      }
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (NoSuchFileException e) {
      return; // deleted while reading: the next read sees the deletion
    } catch (CharacterCodingException e) {
      problems.add(new SourceProblem(relative, "not UTF-8 text; skipped"));
      return;
    } catch (IOException e) {
      problems.add(new SourceProblem(relative, "cannot be read: " + e.getMessage()));
      return;
    }
    if (relative.toLowerCase(Locale.ROOT).endsWith(".json")) {
      parser.parse(text, relative + "#0", out, problems);
      return;
    }
    List<String> documents = YamlDocuments.split(text);
    for (int i = 0; i < documents.size(); i++) {
      parser.parse(documents.get(i), relative + "#" + i, out, problems);
    }
  }

  /** The files to read, by path relative to the folder with {@code /} separators, in that order. */
  private static Map<String, Path> files(Path realRoot, List<SourceProblem> problems) throws IOException {
    Map<String, Path> files = new TreeMap<>();
    Files.walkFileTree(realRoot, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return !dir.equals(realRoot) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean manifest = name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
        if (manifest && !hidden(file) && Files.isRegularFile(file)) {
          files.put(relative(realRoot, file), file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        if (!(e instanceof NoSuchFileException)) {
          problems.add(new SourceProblem(relative(realRoot, file), "cannot be read: " + e.getMessage()));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return files;
  }

  private static String relative(Path root, Path file) {
    List<String> parts = new ArrayList<>();
    root.relativize(file).forEach(p -> parts.add(p.toString()));
    return String.join("/", parts);
  }

  private static boolean hidden(Path path) {
    return path.getFileName() != null && path.getFileName().toString().startsWith(".");
  }

  @Override
  public synchronized void watch(Runnable onChange) throws IOException {
    requireNonNull(onChange, "onChange");
    if (watcher != null) {
      throw new IllegalStateException("already watching " + root);
    }
    DirectoryWatcher w = new DirectoryWatcher(root.toRealPath(), debounce, debounce.multipliedBy(10), onChange);
    w.start();
    watcher = w;
  }

  @Override
  public boolean isWatching() {
    DirectoryWatcher w = watcher;
    return w != null && w.isRunning();
  }

  @Override
  public synchronized void close() {
    DirectoryWatcher w = watcher;
    if (w != null) {
      w.close();
    }
  }

  @Override
  public String toString() {
    return "FolderSource[" + root + "]";
  }
}

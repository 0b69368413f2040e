package dev.tollway.config.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a folder tree with a {@link WatchService}, registering new subfolders as they appear, and calls
 * back once the tree has been quiet for the debounce time (or after at most {@code maxDelay} of continuous
 * changes). Hidden folders (names starting with a dot) are not watched.
 */
final class DirectoryWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DirectoryWatcher.class);

  private final Path root;
  private final Duration debounce;
  private final Duration maxDelay;
  private final Runnable onChange;
  private final Map<WatchKey, Path> keys = new ConcurrentHashMap<>();
  private @Nullable WatchService watchService;
  private @Nullable Thread thread;
  private volatile boolean running;

  DirectoryWatcher(Path root, Duration debounce, Duration maxDelay, Runnable onChange) {
    this.root = root;
    this.debounce = debounce;
    this.maxDelay = maxDelay;
    this.onChange = onChange;
  }

  synchronized void start() throws IOException {
    if (watchService != null) {
      throw new IllegalStateException("already started");
    }
    WatchService ws = root.getFileSystem().newWatchService();
    watchService = ws;
    registerAll(root, ws);
    running = true;
    Thread t = new Thread(() -> run(ws), "tollway-config-watch");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  boolean isRunning() {
    return running;
  }

  private void run(WatchService ws) {
    try {
      boolean rootGone = false;
      while (!rootGone) {
        WatchKey key = ws.take();
        long first = System.nanoTime();
        rootGone = handle(key, ws);
        while (!rootGone && System.nanoTime() - first < maxDelay.toNanos()) {
          WatchKey next = ws.poll(debounce.toMillis(), TimeUnit.MILLISECONDS);
          if (next == null) {
            break;
          }
          rootGone = handle(next, ws);
        }
        fire();
      }
      log.error("watched folder {} is gone; changes are no longer noticed", root);
    } catch (ClosedWatchServiceException e) {
      log.debug("folder watch closed: {}", root);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("folder watch of {} failed; changes are no longer noticed", root, e);
    } finally {
      running = false;
    }
  }

  private void fire() {
    try {
      onChange.run();
    } catch (RuntimeException e) {
      log.error("change callback for {} failed", root, e);
    }
  }

  /** Handles one key's events; returns whether the watched root itself is gone. */
  private boolean handle(WatchKey key, WatchService ws) {
    Path dir = keys.get(key);
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == OVERFLOW || dir == null || !(event.context() instanceof Path name)) {
        continue;
      }
      Path child = dir.resolve(name);
      if (event.kind() == ENTRY_CREATE && !hidden(child) && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        try {
          registerAll(child, ws);
        } catch (IOException e) {
          log.warn("cannot watch new folder {}: {}", child, e.getMessage());
        }
      }
    }
    if (!key.reset()) {
      keys.remove(key);
      return root.equals(dir);
    }
    return false;
  }

  private void registerAll(Path start, WatchService ws) throws IOException {
    Files.walkFileTree(start, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (!dir.equals(root) && hidden(dir)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        keys.put(dir.register(ws, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), dir);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static boolean hidden(Path path) {
    Path name = path.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  @Override
  public synchronized void close() {
    WatchService ws = watchService;
    if (ws == null) {
      return;
    }
    try {
      ws.close();
    } catch (IOException e) {
      log.debug("closing the watch service of {}: {}", root, e.getMessage());
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

package dev.tollway.local.kafka;

import dev.tollway.local.kafka.EmbeddedKafkaException.Reason;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An exclusive lock on a broker's data folder, held from before formatting until the broker has stopped. */
final class FolderLock {

  static final String FILE_NAME = "embedded-kafka.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private FolderLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks the folder.
   *
   * @throws EmbeddedKafkaException {@code DATA_FOLDER_LOCKED} when a broker of this or another process holds it
   */
  static FolderLock acquire(Path folder) {
    Path file = folder.resolve(FILE_NAME);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new EmbeddedKafkaException(Reason.DATA_FOLDER_UNUSABLE, "cannot open " + file + ": " + e, e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new EmbeddedKafkaException(Reason.DATA_FOLDER_UNUSABLE, "cannot lock " + file + ": " + e, e);
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new EmbeddedKafkaException(
          Reason.DATA_FOLDER_LOCKED, folder + " is in use by another embedded broker (lock " + file + ")");
    }
    return new FolderLock(channel, lock);
  }

  void release() {
    try {
      lock.release();
    } catch (IOException e) {
      // the channel is closed next, which releases the lock anyway
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing more to release
    }
  }
}

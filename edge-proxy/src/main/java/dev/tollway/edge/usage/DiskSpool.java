package dev.tollway.edge.usage;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of usage records in the state folder: numbered segment files of framed records
 * ({@code 'T'}, length, CRC-32C, key length, key, value), read back in order from the position saved in
 * {@code position} (segment and offset, replaced atomically), segments deleted once every record in them was
 * acknowledged. A torn tail (the proxy died mid-write) is cut off when the spool opens; a damaged record is
 * skipped with the rest of its segment, counted and logged. Records hold usage events only: ids, names, counts —
 * never a prompt, a completion or a key.
 */
final class DiskSpool implements Spool {

  private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);
  private static final byte MAGIC = 'T';
  private static final int HEADER = 1 + 4 + 4;
  private static final int MAX_RECORD = 4 * 1024 * 1024;
  private static final String SUFFIX = ".log";
  private static final String POSITION = "position";

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final Runnable onCorrupt;
  private final TreeMap<Long, Path> segments = new TreeMap<>();
  private @Nullable FileChannel writer;
  private long writeSegment;
  private long readSegment;
  private long readOffset;
  private long bytes;
  private long count;
  private final List<long[]> peeked = new ArrayList<>();

  /**
   * @param maxBytes the most the spool may hold on disk
   * @param onCorrupt told about each damaged record skipped
   */
  DiskSpool(Path dir, long maxBytes, long segmentBytes, Runnable onCorrupt) {
    this.dir = requireNonNull(dir, "dir");
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.onCorrupt = requireNonNull(onCorrupt, "onCorrupt");
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
        for (Path file : files) {
          String name = file.getFileName().toString();
          try {
            segments.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), file);
          } catch (NumberFormatException e) {
            LOG.warn("usage spool: ignoring unexpected file {}", file);
          }
        }
      }
      readPosition();
      if (!segments.isEmpty()) {
        truncateTornTail(segments.lastEntry().getValue());
      }
      writeSegment = segments.isEmpty() ? Math.max(1, readSegment) : segments.lastKey();
      recount();
    } catch (IOException e) {
      throw new UncheckedIOException("usage spool: cannot open " + dir, e);
    }
  }

  Path dir() {
    return dir;
  }

  @Override
  public boolean append(SpooledRecord record) {
    byte[] key = record.key().getBytes(StandardCharsets.UTF_8);
    int length = 4 + key.length + record.value().length;
    if (length > MAX_RECORD || bytes + HEADER + length > maxBytes) {
      return false;
    }
    ByteBuffer payload = ByteBuffer.allocate(length).putInt(key.length).put(key).put(record.value());
    payload.flip();
    CRC32C crc = new CRC32C();
    crc.update(payload.duplicate());
    ByteBuffer frame = ByteBuffer.allocate(HEADER + length).put(MAGIC).putInt(length).putInt((int) crc.getValue()).put(payload);
    frame.flip();
    try {
      FileChannel channel = writerFor(frame.remaining());
      while (frame.hasRemaining()) {
        channel.write(frame);
      }
    } catch (IOException e) {
      LOG.warn("usage spool: cannot write to {}: {}", dir, e.getMessage());
      return false;
    }
    bytes += HEADER + length;
    count++;
    return true;
  }

  @Override
  public List<SpooledRecord> peek(int max) {
    peeked.clear();
    List<SpooledRecord> out = new ArrayList<>();
    long segment = readSegment;
    long offset = readOffset;
    while (out.size() < max) {
      Path file = segments.get(segment);
      if (file == null) {
        Long next = segments.higherKey(segment);
        if (next == null) {
          break;
        }
        segment = next;
        offset = 0;
        continue;
      }
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = channel.size();
        boolean damaged = false;
        while (out.size() < max && offset < size) {
          Frame frame = readFrame(channel, offset, size);
          if (frame == null) {
            damaged = true;
            break;
          }
          out.add(frame.record);
          offset = frame.end;
          peeked.add(new long[] {segment, offset});
        }
        if (damaged) {
          onCorrupt.run();
          LOG.warn("usage spool: a damaged record in {} at offset {}; the rest of that segment is skipped", file, offset);
          offset = size;
          peeked.add(new long[] {segment, offset, 1});
        }
        if (out.size() >= max) {
          break;
        }
      } catch (IOException e) {
        LOG.warn("usage spool: cannot read {}: {}", file, e.getMessage());
        break;
      }
      Long next = segments.higherKey(segment);
      if (next == null) {
        break;
      }
      segment = next;
      offset = 0;
    }
    return out;
  }

  @Override
  public void acknowledge(int count) {
    int records = 0;
    long[] last = null;
    for (long[] position : peeked) {
      if (position.length == 3) {
        last = position;
        continue;
      }
      if (records == count) {
        break;
      }
      records++;
      last = position;
    }
    if (last == null) {
      return;
    }
    readSegment = last[0];
    readOffset = last[1];
    peeked.clear();
    deleteAcknowledgedSegments();
    savePosition();
    this.count = Math.max(0, this.count - records);
    this.bytes = heldBytes();
  }

  @Override
  public boolean isEmpty() {
    return bytes <= 0;
  }

  @Override
  public boolean isFull() {
    return bytes + HEADER + 1024 > maxBytes;
  }

  @Override
  public long size() {
    return count;
  }

  @Override
  public long bytes() {
    return bytes;
  }

  @Override
  public boolean persistent() {
    return true;
  }

  @Override
  public void close() {
    FileChannel channel = writer;
    writer = null;
    if (channel != null) {
      try {
        channel.force(false);
        channel.close();
      } catch (IOException e) {
        LOG.warn("usage spool: cannot close {}: {}", dir, e.getMessage());
      }
    }
  }

  private record Frame(SpooledRecord record, long end) {}

  private static @Nullable Frame readFrame(FileChannel channel, long offset, long size) throws IOException {
    if (size - offset < HEADER) {
      return null;
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    channel.read(header, offset);
    header.flip();
    if (header.get() != MAGIC) {
      return null;
    }
    int length = header.getInt();
    int checksum = header.getInt();
    if (length < 4 || length > MAX_RECORD || size - offset - HEADER < length) {
      return null;
    }
    ByteBuffer payload = ByteBuffer.allocate(length);
    channel.read(payload, offset + HEADER);
    payload.flip();
    CRC32C crc = new CRC32C();
    crc.update(payload.duplicate());
    if ((int) crc.getValue() != checksum) {
      return null;
    }
    int keyLength = payload.getInt();
    if (keyLength < 0 || keyLength > length - 4) {
      return null;
    }
    byte[] key = new byte[keyLength];
    payload.get(key);
    byte[] value = new byte[payload.remaining()];
    payload.get(value);
    return new Frame(new SpooledRecord(new String(key, StandardCharsets.UTF_8), value), offset + HEADER + length);
  }

  private FileChannel writerFor(int frameBytes) throws IOException {
    FileChannel channel = writer;
    if (channel != null && channel.size() + frameBytes > segmentBytes && channel.size() > 0) {
      channel.force(false);
      channel.close();
      writer = null;
      channel = null;
      writeSegment++;
    }
    if (channel == null) {
      Path file = segments.computeIfAbsent(writeSegment, n -> dir.resolve(String.format("%020d%s", n, SUFFIX)));
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      writer = channel;
    }
    return channel;
  }

  private void truncateTornTail(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      long offset = segments.lastKey() == readSegment ? readOffset : 0;
      long valid = offset;
      while (valid < size) {
        Frame frame = readFrame(channel, valid, size);
        if (frame == null) {
          break;
        }
        valid = frame.end;
      }
      if (valid < size) {
        LOG.warn("usage spool: {} ends with {} byte(s) of an unfinished record; cut off", file, size - valid);
        onCorrupt.run();
        channel.truncate(valid);
      }
    }
  }

  private void deleteAcknowledgedSegments() {
    for (Long segment : new ArrayList<>(segments.headMap(readSegment).keySet())) {
      if (segment == writeSegment) {
        continue;
      }
      try {
        Files.deleteIfExists(segments.remove(segment));
      } catch (IOException e) {
        LOG.warn("usage spool: cannot delete segment {}: {}", segment, e.getMessage());
      }
    }
    Path current = segments.get(readSegment);
    if (current != null && readSegment != writeSegment) {
      try {
        if (readOffset >= Files.size(current)) {
          Files.deleteIfExists(current);
          segments.remove(readSegment);
        }
      } catch (IOException e) {
        LOG.warn("usage spool: cannot delete segment {}: {}", readSegment, e.getMessage());
      }
    }
  }

  private long heldBytes() {
    long held = 0;
    for (var entry : segments.tailMap(readSegment, true).entrySet()) {
      try {
        held += Files.size(entry.getValue()) - (entry.getKey() == readSegment ? readOffset : 0);
      } catch (IOException e) {
        LOG.warn("usage spool: cannot read {}: {}", entry.getValue(), e.getMessage());
      }
    }
    return Math.max(0, held);
  }

  /** Recomputes what the spool holds past the read position (records and bytes), when it opens. */
  private void recount() {
    long records = 0;
    long held = 0;
    for (var entry : segments.tailMap(readSegment, true).entrySet()) {
      long start = entry.getKey() == readSegment ? readOffset : 0;
      try (FileChannel channel = FileChannel.open(entry.getValue(), StandardOpenOption.READ)) {
        long size = channel.size();
        long offset = start;
        while (offset < size) {
          Frame frame = readFrame(channel, offset, size);
          if (frame == null) {
            break;
          }
          records++;
          offset = frame.end;
        }
        held += size - start;
      } catch (IOException e) {
        LOG.warn("usage spool: cannot read {}: {}", entry.getValue(), e.getMessage());
      }
    }
    count = records;
    bytes = held;
  }

  private void readPosition() {
    Path file = dir.resolve(POSITION);
    if (!Files.exists(file)) {
      readSegment = segments.isEmpty() ? 1 : segments.firstKey();
      readOffset = 0;
      return;
    }
    try {
      String[] parts = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
      readSegment = Long.parseLong(parts[0]);
      readOffset = Long.parseLong(parts[1]);
      if (!segments.isEmpty() && readSegment < segments.firstKey()) {
        readSegment = segments.firstKey();
        readOffset = 0;
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("usage spool: unreadable position in {}; replaying every segment", file);
      readSegment = segments.isEmpty() ? 1 : segments.firstKey();
      readOffset = 0;
    }
  }

  private void savePosition() {
    try {
      Path temp = Files.createTempFile(dir, ".position-", ".tmp");
      Files.writeString(temp, readSegment + " " + readOffset, StandardCharsets.US_ASCII);
      try {
        Files.move(temp, dir.resolve(POSITION), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, dir.resolve(POSITION), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warn("usage spool: cannot save the position in {}: {}", dir, e.getMessage());
    }
  }
}

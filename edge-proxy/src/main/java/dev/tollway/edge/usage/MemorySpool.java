package dev.tollway.edge.usage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A spool in memory, bounded by a number of records: used when the proxy has no state folder. */
final class MemorySpool implements Spool {

  private final int capacity;
  private final ArrayDeque<SpooledRecord> records = new ArrayDeque<>();
  private long bytes;

  MemorySpool(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public boolean append(SpooledRecord record) {
    if (records.size() >= capacity) {
      return false;
    }
    records.add(record);
    bytes += record.value().length;
    return true;
  }

  @Override
  public List<SpooledRecord> peek(int max) {
    List<SpooledRecord> out = new ArrayList<>(Math.min(max, records.size()));
    Iterator<SpooledRecord> it = records.iterator();
    while (it.hasNext() && out.size() < max) {
      out.add(it.next());
    }
    return out;
  }

  @Override
  public void acknowledge(int count) {
    for (int i = 0; i < count && !records.isEmpty(); i++) {
      bytes -= records.poll().value().length;
    }
  }

  @Override
  public boolean isEmpty() {
    return records.isEmpty();
  }

  @Override
  public boolean isFull() {
    return records.size() >= capacity;
  }

  @Override
  public long size() {
    return records.size();
  }

  @Override
  public long bytes() {
    return bytes;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public void close() {}
}

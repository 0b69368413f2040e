package dev.tollway.edge.server;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.DefaultByteBufferPool;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The direct buffers of the proxy's listeners and upstream connections, cached per thread. Undertow's
 * {@link DefaultByteBufferPool} finds a thread's cache in one synchronized {@code WeakHashMap} shared by every
 * thread (so that a pool in an application server never keeps a thread's buffers alive), which the IO threads
 * queue on for every buffer they take and give back; the proxy owns its threads for its whole life, so a cache
 * per thread is enough. A buffer given back to a full cache goes to a shared queue, which is also where a thread
 * with an empty cache looks before allocating. Thread-safe.
 *
 * <p>Each thread's cache is its value of a {@link ThreadLocal}, and a small table indexed by thread id finds it
 * faster: the IO threads' thread-local maps hold the thread-locals of every library they run, and looking ours
 * up there missed its first slot so often that it cost more than the rest of the pool. A thread whose slot
 * another live thread holds looks its cache up in the thread-local; the slot of a thread that ended is taken
 * over, its buffers passed on to the shared queue.
 */
public final class ThreadBufferPool implements ByteBufferPool {

  /** The size of the table of per-thread caches (a power of two: a thread's slot is its id modulo this). */
  static final int SLOTS = 64;

  private final int bufferSize;
  private final int perThread;
  private final AtomicReferenceArray<Cache> slots = new AtomicReferenceArray<>(SLOTS);
  private final ThreadLocal<Cache> caches = ThreadLocal.withInitial(() -> new Cache(Thread.currentThread()));
  private final ConcurrentLinkedQueue<ByteBuffer> shared = new ConcurrentLinkedQueue<>();
  private final ByteBufferPool arrayBacked;
  private volatile boolean closed;

  /**
   * @param bufferSize the size of every buffer, in bytes
   * @param perThread how many free buffers one thread keeps for itself
   */
  public ThreadBufferPool(int bufferSize, int perThread) {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize: " + bufferSize + " (expected: 1 or more)");
    }
    if (perThread < 0) {
      throw new IllegalArgumentException("perThread: " + perThread + " (expected: 0 or more)");
    }
    this.bufferSize = bufferSize;
    this.perThread = perThread;
    this.arrayBacked = new DefaultByteBufferPool(false, bufferSize, -1, 0);
  }

  @Override
  public PooledByteBuffer allocate() {
    if (closed) {
      throw new IllegalStateException("the buffer pool is closed");
    }
    ByteBuffer buffer = cache().free.pollFirst();
    if (buffer == null) {
      buffer = shared.poll();
    }
    if (buffer == null) {
      buffer = ByteBuffer.allocateDirect(bufferSize);
    }
    buffer.clear();
    return new Pooled(buffer);
  }

  private void release(ByteBuffer buffer) {
    if (closed) {
      return;
    }
    ArrayDeque<ByteBuffer> mine = cache().free;
    if (mine.size() < perThread) {
      mine.addFirst(buffer);
    } else {
      shared.offer(buffer);
    }
  }

  /** The calling thread's cache. */
  private Cache cache() {
    Thread me = Thread.currentThread();
    int slot = (int) (me.getId() & (SLOTS - 1));
    Cache held = slots.get(slot);
    if (held != null && held.owner == me) {
      return held;
    }
    Cache mine = caches.get();
    if ((held == null || !held.owner.isAlive()) && slots.compareAndSet(slot, held, mine) && held != null) {
      shared.addAll(held.free); // what the thread that ended kept
    }
    return mine;
  }

  @Override
  public ByteBufferPool getArrayBackedPool() {
    return arrayBacked;
  }

  @Override
  public void close() {
    closed = true;
    shared.clear();
    arrayBacked.close();
  }

  @Override
  public int getBufferSize() {
    return bufferSize;
  }

  @Override
  public boolean isDirect() {
    return true;
  }

  /** One thread's free buffers, touched only by that thread (and by the one that takes over its slot after it ended). */
  private static final class Cache {
    final Thread owner;
    final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    Cache(Thread owner) {
      this.owner = owner;
    }
  }

  /** One buffer lent out; closing it gives it back once, however often it is closed. */
  private final class Pooled implements PooledByteBuffer {

    private static final AtomicIntegerFieldUpdater<Pooled> OPEN =
        AtomicIntegerFieldUpdater.newUpdater(Pooled.class, "open");

    private final ByteBuffer buffer;
    private volatile int open = 1;

    Pooled(ByteBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public ByteBuffer getBuffer() {
      if (open == 0) {
        throw new IllegalStateException("the buffer was given back to its pool");
      }
      return buffer;
    }

    @Override
    public void close() {
      if (OPEN.compareAndSet(this, 1, 0)) {
        release(buffer);
      }
    }

    @Override
    public boolean isOpen() {
      return open == 1;
    }
  }
}

package dev.tollway.edge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undertow.connector.PooledByteBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadBufferPoolTest {

  @Test
  void shouldLendADirectBufferOfTheSizeAndTakeItBackClearedForTheNextAllocation() {
    // Given a pool, and a buffer written to and given back
    ThreadBufferPool pool = new ThreadBufferPool(1024, 4);
    PooledByteBuffer first = pool.allocate();
    ByteBuffer buffer = first.getBuffer();
    buffer.put((byte) 1).limit(10);
    first.close();

    // When the same thread allocates again
    PooledByteBuffer second = pool.allocate();

    // Then it gets that buffer back, direct, cleared
    assertThat(second.getBuffer()).isSameAs(buffer);
    assertThat(buffer.isDirect()).isTrue();
    assertThat(buffer.capacity()).isEqualTo(1024);
    assertThat(buffer.position()).isZero();
    assertThat(buffer.limit()).isEqualTo(1024);
  }

  @Test
  void shouldTakeABufferBackOnceHoweverOftenItIsClosed() {
    // Given a buffer closed twice
    ThreadBufferPool pool = new ThreadBufferPool(64, 4);
    PooledByteBuffer lent = pool.allocate();
    lent.close();
    lent.close();

    // Then it is closed, unusable, and lent out again only once
    assertThat(lent.isOpen()).isFalse();
    assertThatThrownBy(lent::getBuffer).isInstanceOf(IllegalStateException.class);
    ByteBuffer a = pool.allocate().getBuffer();
    ByteBuffer b = pool.allocate().getBuffer();
    assertThat(a).isNotSameAs(b);
  }

  @Test
  void shouldPassWhatAThreadCannotKeepToOtherThreads() throws Exception {
    // Given a thread that gives back more buffers than it keeps (2)
    ThreadBufferPool pool = new ThreadBufferPool(64, 2);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      List<PooledByteBuffer> lent = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        lent.add(pool.allocate());
      }
      Set<ByteBuffer> given = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      lent.forEach(p -> given.add(p.getBuffer()));
      lent.forEach(PooledByteBuffer::close);

      // When another thread allocates three
      List<ByteBuffer> taken = CompletableFuture.supplyAsync(() -> List.of(
          pool.allocate().getBuffer(), pool.allocate().getBuffer(), pool.allocate().getBuffer()), other)
          .get(10, TimeUnit.SECONDS);

      // Then they are the three the first thread could not keep, and it still has its own two
      // (buffers compared by identity: equal contents make equal ByteBuffers)
      assertThat(taken).allMatch(given::contains);
      ByteBuffer mine1 = pool.allocate().getBuffer();
      ByteBuffer mine2 = pool.allocate().getBuffer();
      assertThat(List.of(mine1, mine2)).allMatch(given::contains)
          .noneMatch(mine -> taken.stream().anyMatch(t -> t == mine));
      Set<ByteBuffer> distinct = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      distinct.addAll(taken);
      assertThat(distinct).hasSize(3);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void shouldKeepTheBuffersOfTwoThreadsApartWhenTheirIdsShareASlot() throws Exception {
    // Given this thread's buffer in the pool, and another live thread whose id falls in the same slot
    ThreadBufferPool pool = new ThreadBufferPool(64, 2);
    PooledByteBuffer mine = pool.allocate();
    ByteBuffer myBuffer = mine.getBuffer();
    mine.close();
    CompletableFuture<ByteBuffer> theirs = new CompletableFuture<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread other = threadInSlotOf(Thread.currentThread(), () -> {
      PooledByteBuffer lent = pool.allocate();
      ByteBuffer buffer = lent.getBuffer();
      lent.close();
      // allocating again gets back what it just gave, from a cache of its own
      theirs.complete(pool.allocate().getBuffer() == buffer ? buffer : null);
      done.join();
    });
    try {
      // When both allocate
      ByteBuffer theirBuffer = theirs.get(10, TimeUnit.SECONDS);

      // Then each got its own back: the other thread kept a cache apart (a thread-local), not this thread's
      assertThat(theirBuffer).isNotNull().isNotSameAs(myBuffer);
      assertThat(pool.allocate().getBuffer()).isSameAs(myBuffer);
    } finally {
      done.complete(null);
      other.join(10_000);
    }
  }

  @Test
  void shouldPassTheBuffersOfAThreadThatEndedOnToTheThreadThatTakesItsSlot() throws Exception {
    // Given a thread that kept a buffer in its cache and then ended
    ThreadBufferPool pool = new ThreadBufferPool(64, 2);
    CompletableFuture<ByteBuffer> kept = new CompletableFuture<>();
    Thread ended = new Thread(() -> {
      PooledByteBuffer lent = pool.allocate();
      kept.complete(lent.getBuffer());
      lent.close();
    });
    ended.start();
    ended.join(10_000);
    ByteBuffer left = kept.get(10, TimeUnit.SECONDS);

    // When a new thread whose id falls in its slot allocates
    CompletableFuture<ByteBuffer> taken = new CompletableFuture<>();
    Thread next = threadInSlotOf(ended, () -> taken.complete(pool.allocate().getBuffer()));
    next.join(10_000);

    // Then it gets the buffer the ended thread kept, not a new one
    assertThat(taken.get(10, TimeUnit.SECONDS)).isSameAs(left);
  }

  @Test
  void shouldKeepTheBuffersOfAThreadWhenItTakesOverTheSlotItHadToShare() throws Exception {
    // Given a live thread holding a slot, and a thread of the same slot that keeps a buffer in its own cache
    ThreadBufferPool pool = new ThreadBufferPool(64, 2);
    CompletableFuture<Void> holderDone = new CompletableFuture<>();
    CompletableFuture<Void> holding = new CompletableFuture<>();
    Thread holder = new Thread(() -> {
      pool.allocate().close();
      holding.complete(null);
      holderDone.join();
    });
    holder.start();
    holding.get(10, TimeUnit.SECONDS);
    CompletableFuture<ByteBuffer> kept = new CompletableFuture<>();
    CompletableFuture<Void> holderEnded = new CompletableFuture<>();
    CompletableFuture<ByteBuffer> after = new CompletableFuture<>();
    Thread sharer = threadInSlotOf(holder, () -> {
      PooledByteBuffer lent = pool.allocate();
      kept.complete(lent.getBuffer());
      lent.close();
      holderEnded.join();
      after.complete(pool.allocate().getBuffer());
    });
    ByteBuffer buffer = kept.get(10, TimeUnit.SECONDS);

    // When the slot's holder ends and the other thread allocates again (taking the slot over)
    holderDone.complete(null);
    holder.join(10_000);
    holderEnded.complete(null);
    sharer.join(10_000);

    // Then it gets back the buffer it kept before it had the slot
    assertThat(after.get(10, TimeUnit.SECONDS)).isSameAs(buffer);
  }

  /** A started thread running {@code task} whose id falls in the same slot as {@code of}'s. */
  private static Thread threadInSlotOf(Thread of, Runnable task) {
    long slot = of.getId() % ThreadBufferPool.SLOTS;
    for (int i = 0; i < 4 * ThreadBufferPool.SLOTS; i++) {
      Thread candidate = new Thread(task);
      if (candidate.getId() % ThreadBufferPool.SLOTS == slot) {
        candidate.start();
        return candidate;
      }
    }
    throw new AssertionError("no thread id fell in slot " + slot);
  }

  @Test
  void shouldRefuseToLendOnceClosed() {
    ThreadBufferPool pool = new ThreadBufferPool(64, 2);
    pool.close();

    assertThatThrownBy(pool::allocate).isInstanceOf(IllegalStateException.class);
  }
}

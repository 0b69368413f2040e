package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * Runs a number of asynchronous calls with at most a few in flight, starting them in index order: the
 * result holds every call's value in index order, or fails with the first failure — after which no further
 * call starts (calls already in flight finish and are ignored). For one client request that a provider needs
 * as several calls (Bedrock's Titan embeds one text per call).
 */
final class FanOut<T> {

  private final int count;
  private final IntFunction<CompletableFuture<T>> call;
  private final List<T> results;
  private final CompletableFuture<List<T>> done = new CompletableFuture<>();
  private int next;
  private int finished;

  private FanOut(int count, IntFunction<CompletableFuture<T>> call) {
    this.count = count;
    this.call = call;
    this.results = new ArrayList<>(Collections.nCopies(count, null));
  }

  /**
   * Starts the calls {@code 0..count-1}, at most {@code parallel} at a time.
   *
   * @param call starts call {@code i}; a call that throws fails the whole as its failure would
   */
  static <T> CompletableFuture<List<T>> run(int count, int parallel, IntFunction<CompletableFuture<T>> call) {
    requireNonNull(call, "call");
    if (count < 1 || parallel < 1) {
      throw new IllegalArgumentException("count " + count + " and parallel " + parallel + " must be positive");
    }
    FanOut<T> fanOut = new FanOut<>(count, call);
    for (int i = 0; i < Math.min(count, parallel); i++) {
      fanOut.startNext();
    }
    return fanOut.done;
  }

  private void startNext() {
    int index;
    synchronized (this) {
      if (done.isDone() || next >= count) {
        return;
      }
      index = next++;
    }
    CompletableFuture<T> started;
    try {
      started = call.apply(index);
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
      return;
    }
    started.whenComplete((value, failure) -> {
      if (failure != null) {
        done.completeExceptionally(failure);
        return;
      }
      boolean all;
      synchronized (this) {
        results.set(index, value);
        all = ++finished == count;
      }
      if (all) {
        done.complete(Collections.unmodifiableList(new ArrayList<>(results)));
      } else {
        startNext();
      }
    });
  }
}

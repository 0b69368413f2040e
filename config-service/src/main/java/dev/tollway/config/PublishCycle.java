package dev.tollway.config;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.publish.PublishResult;
import dev.tollway.config.snapshot.CompileResult;
import dev.tollway.config.watch.SourceProblem;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass of the worker: read the source, compile, publish the difference.
 *
 * @param finishedAt when the pass finished
 * @param compileTime how long the compilation took
 * @param result what the compiler produced
 * @param publish what was written to the topic
 * @param sourceProblems what the source skipped or warned about
 * @param metering what was compiled and written for prices and budgets
 * @param cluster what was written back to the cluster (proxies, status); {@link ClusterWrite#NONE} for a folder
 */
public record PublishCycle(
    Instant finishedAt,
    Duration compileTime,
    CompileResult result,
    PublishResult publish,
    List<SourceProblem> sourceProblems,
    MeteringCycle metering,
    ClusterWrite cluster) {

  public PublishCycle {
    requireNonNull(finishedAt, "finishedAt");
    requireNonNull(compileTime, "compileTime");
    requireNonNull(result, "result");
    requireNonNull(publish, "publish");
    sourceProblems = List.copyOf(sourceProblems);
    requireNonNull(metering, "metering");
    requireNonNull(cluster, "cluster");
  }

  /**
   * One line per Gateway written: {@code published default/agentgateway (2 routes)} or
   * {@code removed default/old (tombstone)}, then the lines of {@link MeteringCycle#describe()}. Failed
   * writes are in {@link PublishResult#failed()}.
   */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (String key : publish.published()) {
      GatewaySnapshot snapshot = result.snapshots().get(key);
      int routes = snapshot == null ? 0 : snapshot.routes().size();
      lines.add("published " + key + " (" + routes + (routes == 1 ? " route)" : " routes)"));
    }
    publish.tombstoned().forEach(key -> lines.add("removed " + key + " (tombstone)"));
    lines.addAll(metering.describe());
    lines.addAll(cluster.provisioning().changes());
    return lines;
  }
}

package org.jetlag.cli.internal;

import java.util.ArrayList;
import java.util.List;
import org.jetlag.flink.cluster.FlinkClusterException;
import org.jetlag.flink.cluster.FlinkRest;
import org.jetlag.runner.RunFailure;
import org.jetlag.runner.beam.BeamRunner;

/** The Beam runner's view of a Flink session cluster, through the cluster's REST API. */
public final class FlinkClusterControl implements BeamRunner.ClusterControl {
  private final FlinkRest rest;

  /** Talks to clusters with {@code rest}. */
  public FlinkClusterControl(FlinkRest rest) {
    this.rest = rest;
  }

  @Override
  public void check(String master) {
    String version;
    try {
      version = rest.flinkVersion(master);
    } catch (FlinkClusterException e) {
      throw new RunFailure(e.getMessage(), null, e);
    }
    if (!(version.equals(BeamRunner.FLINK_VERSION)
        || version.startsWith(BeamRunner.FLINK_VERSION + "."))) {
      throw new RunFailure(
          "Flink cluster at "
              + master
              + " runs Flink "
              + version
              + ", but JetLag submits with Beam's runner for Flink "
              + BeamRunner.FLINK_VERSION
              + " (the minor versions must match): start a "
              + BeamRunner.FLINK_VERSION
              + " cluster, for example with 'jetlag cluster start'; nothing was submitted",
          null,
          null);
    }
  }

  @Override
  public void cancel(String master, String jobName) {
    for (FlinkRest.JobSummary j : rest.jobs(master)) {
      if (j.name().equals(jobName) && !isTerminal(j.state())) {
        rest.cancel(master, j.id());
      }
    }
  }

  @Override
  public List<String> jobDetails(String master, String jobName) {
    List<FlinkRest.JobSummary> jobs = new ArrayList<>(rest.jobs(master));
    jobs.sort(java.util.Comparator.comparingLong(FlinkRest.JobSummary::startTime));
    List<String> out = new ArrayList<>();
    for (FlinkRest.JobSummary j : jobs) {
      if (j.name().equals(jobName)) {
        out.add(rest.jobDetails(master, j.id()));
      }
    }
    return out;
  }

  private static boolean isTerminal(String state) {
    return state.equals("FINISHED") || state.equals("FAILED") || state.equals("CANCELED");
  }
}

/**
 * Starts, inspects and stops a Flink session cluster, and talks to Flink's REST API.
 *
 * <p>{@link org.jetlag.flink.cluster.FlinkCluster#start} runs a JobManager and TaskManagers as
 * separate JVMs on a cluster classpath ({@code runners/flink-dist/target/flink-lib}), records them
 * in {@code <dir>/cluster.json}, and returns the REST address ({@code host:port}) that Beam's
 * FlinkRunner takes as {@code --flinkMaster}. {@link org.jetlag.flink.cluster.FlinkRest} reads the
 * cluster's overview, jobs and job details. Nothing here uses Flink classes: the cluster runs in
 * its own JVMs with its own classpath.
 */
package org.jetlag.flink.cluster;

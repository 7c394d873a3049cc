/**
 * Remote runs of JetLag graphs through Tapis v3 and a Slurm batch queue: a thin Tapis v3 client
 * ({@link org.jetlag.remote.TapisClient}), the token store, the job bundle that carries a graph and
 * its inputs to the HPC system, safe unpacking of the archives that come back, and the ZIP-runtime
 * app that runs the graph inside the Slurm allocation.
 */
package org.jetlag.remote;

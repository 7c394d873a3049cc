/** Timing of runs: per-node profiles and summaries (full traces come with the tracing work). */
package org.jetlag.perf;

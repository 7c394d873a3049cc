/**
 * Lowering JetLag graphs to Apache Beam (work in progress): the chunk value and its coder, which
 * every Beam step exchanges.
 */
package org.jetlag.runner.beam;

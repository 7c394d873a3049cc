/**
 * The graph model: dtypes, shapes, nodes, edges, graphs, validation diagnostics and the one error
 * shape every JetLag message has. Graphs are immutable values; {@link org.jetlag.graph.Validation}
 * checks them and returns a {@link org.jetlag.graph.TypedGraph}.
 */
package org.jetlag.graph;

package org.jetlag.editor;

import java.util.Map;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Position;

/** Automatic layout: a position for every node of a graph (the views supply ELK layered). */
@FunctionalInterface
public interface Layouter {
  /** Positions for the nodes, by id; node sizes follow {@link NodeGeometry}. */
  Map<String, Position> layout(Graph g, PortTypes ports);
}

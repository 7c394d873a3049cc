package org.jetlag.editor.fx.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;
import org.jetlag.editor.Layouter;
import org.jetlag.editor.NodeGeometry;
import org.jetlag.editor.PortTypes;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.Position;

/** Automatic layout with ELK layered (left to right, as data flows), in plain Java. */
public final class ElkLayouter implements Layouter {
  private static final double MARGIN = 40;

  static {
    LayoutMetaDataService.getInstance()
        .registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
  }

  @Override
  public Map<String, Position> layout(Graph g, PortTypes ports) {
    ElkNode root = ElkGraphUtil.createGraph();
    root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
    root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
    // The canvas draws its own curves: ELK's routing is not used, so take the cheapest, and fewer
    // crossing-minimisation sweeps (thoroughness 7 by default) for big graphs.
    root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE);
    root.setProperty(LayeredOptions.THOROUGHNESS, g.nodes().size() > 100 ? 1 : 7);
    root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 60.0);
    root.setProperty(CoreOptions.SPACING_NODE_NODE, 30.0);
    Map<String, ElkNode> byId = new LinkedHashMap<>();
    for (Node n : g.nodes()) {
      if (byId.containsKey(n.id())) {
        continue; // a duplicate id (reported by validation) keeps its place
      }
      NodeGeometry box =
          NodeGeometry.of(n, ports.inputs(n.id()).size(), ports.outputs(n.id()).size());
      ElkNode e = ElkGraphUtil.createNode(root);
      e.setIdentifier(n.id());
      e.setDimensions(box.width(), box.height());
      byId.put(n.id(), e);
    }
    for (Edge e : g.edges()) {
      ElkNode a = byId.get(e.from().node());
      ElkNode b = byId.get(e.to().node());
      if (a != null && b != null && a != b) {
        ElkGraphUtil.createSimpleEdge(a, b);
      }
    }
    new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());
    Map<String, Position> out = new LinkedHashMap<>();
    byId.forEach(
        (id, e) ->
            out.put(id, new Position(Math.rint(e.getX() + MARGIN), Math.rint(e.getY() + MARGIN))));
    return out;
  }
}

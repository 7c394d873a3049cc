package org.jetlag.examples;

import org.jetlag.graph.DType;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Shape;
import org.jetlag.graph.build.GraphBuilder;
import org.jetlag.graph.build.Loop;
import org.jetlag.graph.build.Tensor;

/**
 * The {@code examples/kmeans} graph written with the fluent Java API: Lloyd's algorithm with a
 * fixed number of iterations, distances by broadcasting, one-hot assignment by {@code equal}
 * against an {@code arange}, and new centroids by a matrix product.
 */
public final class KMeansExample {
  /** Number of clusters. */
  public static final int K = 3;

  /** Point dimension. */
  public static final int DIMS = 2;

  /** Lloyd iterations. */
  public static final int ITERATIONS = 20;

  private KMeansExample() {}

  /** Squared distances {@code [n, k]} of every point to every centroid. */
  static Tensor squaredDistances(Tensor x, Tensor c) {
    return x.expandDims(1).sub(c.expandDims(0)).unary("square").sum(2);
  }

  /** The graph: inputs {@code X [?,2]}, {@code init [3,2]}; outputs centroids, labels, inertia. */
  public static Graph graph() {
    GraphBuilder g = GraphBuilder.create("kmeans");
    Tensor x = g.input("X", DType.FLOAT64, Shape.of(Shape.UNKNOWN, DIMS));
    Tensor init = g.input("init", DType.FLOAT64, Shape.of(K, DIMS));

    Loop lloyd = g.loop(ITERATIONS);
    Tensor c = lloyd.carry("C", init);
    Tensor xs = lloyd.fixed("X", x);
    GraphBuilder body = lloyd.body();
    Tensor labels = squaredDistances(xs, c).argmin(1);
    Tensor onehot = labels.expandDims(1).eq(body.arange(0, K, 1)).astype(DType.FLOAT64);
    Tensor totals = onehot.T().matmul(xs);
    Tensor counts = onehot.sum(0).expandDims(1);
    Tensor means = totals.div(counts.maximum(body.scalar(1.0)));
    lloyd.update("C", body.where(counts.gt(body.scalar(0.0)), means, c));
    Tensor centroids = lloyd.end().get("C");

    Tensor d2 = squaredDistances(x, centroids);
    g.output("centroids", centroids);
    g.output("labels", d2.argmin(1));
    g.output("inertia", d2.min(1).sum());
    return g.description(
            "K-means clustering (Lloyd's algorithm), k = 3, 20 iterations, built with the Java"
                + " API.")
        .build();
  }
}

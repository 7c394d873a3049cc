package org.jetlag.examples;

import java.util.Map;
import org.jetlag.graph.DType;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Shape;
import org.jetlag.graph.build.GraphBuilder;
import org.jetlag.graph.build.Loop;
import org.jetlag.graph.build.Tensor;

/**
 * The {@code examples/logistic-regression} graph written with the fluent Java API: 200 steps of
 * full-batch gradient descent on the mean log-loss, then the final loss and training accuracy.
 *
 * <pre>{@code
 * jshell> Graph g = org.jetlag.examples.LogisticRegressionExample.graph();
 * }</pre>
 */
public final class LogisticRegressionExample {
  /** Number of features (columns of X). */
  public static final int FEATURES = 5;

  /** Gradient-descent steps. */
  public static final int ITERATIONS = 200;

  /** Learning rate. */
  public static final double LEARNING_RATE = 0.5;

  private LogisticRegressionExample() {}

  /** The graph: inputs {@code X [?,5]}, {@code y [?]}; outputs w, b, loss, accuracy. */
  public static Graph graph() {
    GraphBuilder g = GraphBuilder.create("logistic-regression");
    Tensor x = g.input("X", DType.FLOAT64, Shape.of(Shape.UNKNOWN, FEATURES));
    Tensor y = g.input("y", DType.FLOAT64, Shape.of(Shape.UNKNOWN));

    Loop train = g.loop(ITERATIONS);
    Tensor w = train.carry("w", g.zeros(FEATURES));
    Tensor b = train.carry("b", g.scalar(0.0));
    Tensor xs = train.fixed("X", x);
    Tensor ys = train.fixed("y", y);
    Tensor lr = train.body().scalar(LEARNING_RATE);
    Tensor r = xs.matmul(w).add(b).sigmoid().sub(ys); // p - y
    Tensor gradW = xs.T().mul(r).mean(1); // X^T (p - y) / n
    Tensor gradB = r.mean();
    train.update("w", w.sub(lr.mul(gradW)));
    train.update("b", b.sub(lr.mul(gradB)));
    Map<String, Tensor> fitted = train.end();
    Tensor wf = fitted.get("w");
    Tensor bf = fitted.get("b");

    Tensor p = x.matmul(wf).add(bf).sigmoid();
    Tensor one = g.scalar(1.0);
    Tensor logLik = y.mul(p.log()).add(one.sub(y).mul(one.sub(p).log()));
    Tensor loss = logLik.mean().neg();
    Tensor accuracy = p.gt(g.scalar(0.5)).astype(DType.FLOAT64).eq(y).astype(DType.FLOAT64).mean();

    g.output("w", wf);
    g.output("b", bf);
    g.output("loss", loss);
    g.output("accuracy", accuracy);
    return g.description(
            "Binary logistic regression fitted by 200 steps of full-batch gradient descent"
                + " (learning rate 0.5), built with the Java API.")
        .build();
  }
}

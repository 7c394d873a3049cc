package org.jetlag.examples;

import static org.jetlag.examples.GraphDoc.params;
import static org.jetlag.examples.GraphDoc.shape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;

/**
 * The source of the example {@code graph.json} files: each graph written node by node with readable
 * ids and a left-to-right layout. {@code examples/make_data.py} holds the NumPy twin of each graph
 * (same algorithm, same op order).
 *
 * <p>Run {@code main} with the examples folder to rewrite every {@code <name>/graph.json}
 * canonically (see {@code examples/README.md}).
 */
public final class ExampleGraphFiles {
  private ExampleGraphFiles() {}

  /** Example folder name to graph, in README order. */
  public static Map<String, Supplier<Graph>> all() {
    Map<String, Supplier<Graph>> m = new LinkedHashMap<>();
    m.put("logistic-regression", ExampleGraphFiles::logisticRegression);
    m.put("kmeans", ExampleGraphFiles::kmeans);
    m.put("linear-regression", ExampleGraphFiles::linearRegression);
    m.put("pca", ExampleGraphFiles::pca);
    m.put("als", ExampleGraphFiles::als);
    return m;
  }

  /** Writes every example's graph.json under {@code args[0]} (default {@code examples}). */
  public static void main(String[] args) {
    Path root = Paths.get(args.length > 0 ? args[0] : "examples");
    for (Map.Entry<String, Supplier<Graph>> e : all().entrySet()) {
      Graph g = e.getValue().get();
      Validation.check(g);
      Path dir = root.resolve(e.getKey());
      if (!Files.isDirectory(dir)) {
        throw new IllegalStateException("no example folder " + dir);
      }
      GraphJson.write(g, dir.resolve("graph.json"));
      System.out.println("wrote " + dir.resolve("graph.json"));
    }
  }

  private static final String F64 = "float64";

  // ------------------------------------------------------------------ logistic regression

  /** Logistic regression by full-batch gradient descent, 200 steps of rate 0.5. */
  public static Graph logisticRegression() {
    GraphDoc body = new GraphDoc("train-step", "One gradient-descent step on the mean log-loss.");
    body.input("w", F64, shape(5L), 0, 0)
        .input("b", F64, shape(), 0, 1)
        .input("X", F64, shape(null, 5L), 0, 2)
        .input("y", F64, shape((Long) null), 0, 4)
        .op("logits", "matmul", params(), 1, 1, "a=X", "b=w")
        .op("z", "add", params(), 2, 1, "a=logits", "b=b")
        .op("p", "sigmoid", params(), 3, 1, "x=z")
        .op("r", "sub", params(), 4, 2, "a=p", "b=y")
        .op("Xt", "transpose", params(), 1, 3, "x=X")
        .op("Xt_r", "mul", params(), 5, 3, "a=Xt", "b=r")
        .op("grad_w", "mean", params("axis", List.of(1L)), 6, 3, "x=Xt_r")
        .op("grad_b", "mean", params(), 6, 2, "x=r")
        .op("lr", "constant", params("value", 0.5), 6, 0)
        .op("step_w", "mul", params(), 7, 3, "a=lr", "b=grad_w")
        .op("step_b", "mul", params(), 7, 2, "a=lr", "b=grad_b")
        .op("w_next", "sub", params(), 8, 0, "a=w", "b=step_w")
        .op("b_next", "sub", params(), 8, 1, "a=b", "b=step_b")
        .output("w", "w_next", 9, 0)
        .output("b", "b_next", 9, 1);

    GraphDoc g =
        new GraphDoc(
            "logistic-regression",
            "Binary logistic regression fitted by 200 steps of full-batch gradient descent"
                + " (learning rate 0.5); reports the weights, the bias, the final mean log-loss"
                + " and the training accuracy.");
    g.input("X", F64, shape(null, 5L), 0, 1)
        .input("y", F64, shape((Long) null), 0, 3)
        .op("w0", "zeros", params("shape", List.of(5L)), 0, 0)
        .op("b0", "constant", params("value", 0.0), 0, 2)
        .loop("train", params("count", 200L), body, 1, 1, "w=w0", "b=b0", "X=X", "y=y")
        .op("logits", "matmul", params(), 2, 1, "a=X", "b=train:w")
        .op("z", "add", params(), 3, 1, "a=logits", "b=train:b")
        .op("p", "sigmoid", params(), 4, 1, "x=z")
        .op("one", "constant", params("value", 1.0), 4, 3)
        .op("log_p", "log", params(), 5, 1, "x=p")
        .op("q", "sub", params(), 5, 2, "a=one", "b=p")
        .op("log_q", "log", params(), 6, 2, "x=q")
        .op("not_y", "sub", params(), 5, 3, "a=one", "b=y")
        .op("t1", "mul", params(), 7, 1, "a=y", "b=log_p")
        .op("t2", "mul", params(), 7, 2, "a=not_y", "b=log_q")
        .op("ll", "add", params(), 8, 1, "a=t1", "b=t2")
        .op("mean_ll", "mean", params(), 9, 1, "x=ll")
        .op("loss", "neg", params(), 10, 1, "x=mean_ll")
        .op("half", "constant", params("value", 0.5), 4, 4)
        .op("pred", "greater", params(), 5, 4, "a=p", "b=half")
        .op("pred_f", "astype", params("dtype", F64), 6, 4, "x=pred")
        .op("hit", "equal", params(), 7, 4, "a=pred_f", "b=y")
        .op("hit_f", "astype", params("dtype", F64), 8, 4, "x=hit")
        .op("accuracy", "mean", params(), 9, 4, "x=hit_f")
        .output("w", "train:w", 11, 0)
        .output("b", "train:b", 11, 0.8)
        .output("loss", "loss", 11, 1.6)
        .output("accuracy", "accuracy", 11, 4);
    return g.build();
  }

  // ------------------------------------------------------------------ k-means

  /** Adds the squared distances of every row of {@code x} to every centroid of {@code c}. */
  private static String sqDist(GraphDoc d, String x, String c, double col, double row) {
    d.op("x3", "expand_dims", params("axis", 1L), col, row, "x=" + x)
        .op("c3", "expand_dims", params("axis", 0L), col, row + 1, "x=" + c)
        .op("diff", "sub", params(), col + 1, row, "a=x3", "b=c3")
        .op("sq", "square", params(), col + 2, row, "x=diff")
        .op("d2", "sum", params("axis", List.of(2L)), col + 3, row, "x=sq");
    return "d2";
  }

  /** K-means (Lloyd's algorithm), k = 3, 20 iterations from given initial centroids. */
  public static Graph kmeans() {
    GraphDoc body = new GraphDoc("lloyd-step", "Assign every point, then move every centroid.");
    body.input("C", F64, shape(3L, 2L), 0, 1).input("X", F64, shape(null, 2L), 0, 0);
    String d2 = sqDist(body, "X", "C", 1, 0);
    body.op("labels", "argmin", params("axis", 1L), 5, 0, "x=" + d2)
        .op("labels2", "expand_dims", params("axis", 1L), 6, 0, "x=labels")
        .op("ks", "arange", params("stop", 3L), 6, 1)
        .op("hot", "equal", params(), 7, 0, "a=labels2", "b=ks")
        .op("onehot", "astype", params("dtype", F64), 8, 0, "x=hot")
        .op("onehot_t", "transpose", params(), 9, 0, "x=onehot")
        .op("totals", "matmul", params(), 10, 0, "a=onehot_t", "b=X")
        .op("counts", "sum", params("axis", List.of(0L)), 9, 1, "x=onehot")
        .op("counts2", "expand_dims", params("axis", 1L), 10, 1, "x=counts")
        .op("one", "constant", params("value", 1.0), 10, 2)
        .op("safe", "maximum", params(), 11, 1, "a=counts2", "b=one")
        .op("means", "div", params(), 12, 0, "a=totals", "b=safe")
        .op("zero", "constant", params("value", 0.0), 11, 3)
        .op("nonempty", "greater", params(), 12, 2, "a=counts2", "b=zero")
        .op("C_next", "where", params(), 13, 1, "cond=nonempty", "a=means", "b=C")
        .output("C", "C_next", 14, 1);

    GraphDoc g =
        new GraphDoc(
            "kmeans",
            "K-means clustering (Lloyd's algorithm) of 2-D points into k = 3 clusters: 20"
                + " iterations from given initial centroids; an empty cluster keeps its centroid."
                + " Reports the centroids, each point's label and the inertia.");
    g.input("X", F64, shape(null, 2L), 0, 0)
        .input("init", F64, shape(3L, 2L), 0, 1)
        .loop("lloyd", params("count", 20L), body, 1, 1, "C=init", "X=X");
    sqDist(g, "X", "lloyd:C", 2, 0);
    g.op("labels", "argmin", params("axis", 1L), 6, 0, "x=d2")
        .op("nearest", "min", params("axis", List.of(1L)), 6, 1, "x=d2")
        .op("inertia", "sum", params(), 7, 1, "x=nearest")
        .output("centroids", "lloyd:C", 8, 2)
        .output("labels", "labels", 8, 0)
        .output("inertia", "inertia", 8, 1);
    return g.build();
  }

  // ------------------------------------------------------------------ linear regression

  /** Least squares by the normal equations. */
  public static Graph linearRegression() {
    GraphDoc g =
        new GraphDoc(
            "linear-regression",
            "Ordinary least squares by the normal equations: coef = solve(X^T X, X^T y);"
                + " reports the coefficients and the 2-norm of the residual X coef - y."
                + " X carries its own intercept column of ones.");
    g.input("X", F64, shape(null, 4L), 0, 0)
        .input("y", F64, shape((Long) null), 0, 2)
        .op("Xt", "transpose", params(), 1, 1, "x=X")
        .op("XtX", "matmul", params(), 2, 0, "a=Xt", "b=X")
        .op("Xty", "matmul", params(), 2, 2, "a=Xt", "b=y")
        .op("coef", "solve", params(), 3, 1, "a=XtX", "b=Xty")
        .op("fitted", "matmul", params(), 4, 1, "a=X", "b=coef")
        .op("resid", "sub", params(), 5, 2, "a=fitted", "b=y")
        .op("rnorm", "norm", params(), 6, 2, "x=resid")
        .output("coef", "coef", 7, 1)
        .output("residual_norm", "rnorm", 7, 2);
    return g.build();
  }

  // ------------------------------------------------------------------ PCA

  /** The top principal component by power iteration on the sample covariance. */
  public static Graph pca() {
    GraphDoc body = new GraphDoc("power-step", "v <- C v / |C v|");
    body.input("v", F64, shape(5L), 0, 0)
        .input("C", F64, shape(5L, 5L), 0, 1)
        .op("Cv", "matmul", params(), 1, 0, "a=C", "b=v")
        .op("len", "norm", params(), 2, 1, "x=Cv")
        .op("v_next", "div", params(), 3, 0, "a=Cv", "b=len")
        .output("v", "v_next", 4, 0);

    GraphDoc g =
        new GraphDoc(
            "pca",
            "First principal component: center X, form the sample covariance Xc^T Xc / (n - 1),"
                + " then 100 power iterations from the all-ones vector. Reports the unit"
                + " component, its eigenvalue (Rayleigh quotient) and the share of the total"
                + " variance it explains.");
    g.input("X", F64, shape(null, 5L), 0, 1)
        .op("mu", "mean", params("axis", List.of(0L), "keepdims", true), 1, 0, "x=X")
        .op("Xc", "sub", params(), 2, 1, "a=X", "b=mu")
        .op("finite", "isfinite", params(), 1, 3, "x=X")
        .op("row_ok", "all", params("axis", List.of(1L)), 2, 3, "x=finite")
        .op("n", "sum", params(), 3, 3, "x=row_ok")
        .op("one", "constant", params("value", 1L, "dtype", "int64"), 3, 4)
        .op("n_1", "sub", params(), 4, 3, "a=n", "b=one")
        .op("Xc_t", "transpose", params(), 3, 0, "x=Xc")
        .op("scatter", "matmul", params(), 4, 1, "a=Xc_t", "b=Xc")
        .op("cov", "div", params(), 5, 2, "a=scatter", "b=n_1")
        .op("v0", "ones", params("shape", List.of(5L)), 5, 0)
        .loop("power", params("count", 100L), body, 6, 1, "v=v0", "C=cov")
        .op("Cv", "matmul", params(), 7, 2, "a=cov", "b=power:v")
        .op("eigenvalue", "matmul", params(), 8, 2, "a=power:v", "b=Cv")
        .op("var", "var", params("axis", List.of(0L), "ddof", 1L), 1, 5, "x=X")
        .op("total", "sum", params(), 2, 5, "x=var")
        .op("ratio", "div", params(), 9, 3, "a=eigenvalue", "b=total")
        .output("component", "power:v", 10, 1)
        .output("eigenvalue", "eigenvalue", 10, 2)
        .output("explained_variance_ratio", "ratio", 10, 3);
    return g.build();
  }

  // ------------------------------------------------------------------ ALS

  /** Alternating least squares with the unobserved entries filled by the current model. */
  public static Graph als() {
    GraphDoc body =
        new GraphDoc(
            "als-sweep", "Fill unobserved entries from U V^T, solve for U; refill, solve for V.");
    body.input("U", F64, shape(30L, 3L), 0, 0)
        .input("V", F64, shape(20L, 3L), 0, 1)
        .input("MR", F64, shape(30L, 20L), 0, 2)
        .input("unobs", F64, shape(30L, 20L), 0, 3)
        .input("reg", F64, shape(3L, 3L), 0, 4)
        .op("Vt", "transpose", params(), 1, 1, "x=V")
        .op("model1", "matmul", params(), 2, 0, "a=U", "b=Vt")
        .op("fill1", "mul", params(), 3, 0, "a=unobs", "b=model1")
        .op("F1", "add", params(), 4, 0, "a=MR", "b=fill1")
        .op("VtV", "matmul", params(), 2, 1, "a=Vt", "b=V")
        .op("A1", "add", params(), 3, 1, "a=VtV", "b=reg")
        .op("F1t", "transpose", params(), 5, 0, "x=F1")
        .op("B1", "matmul", params(), 6, 0, "a=Vt", "b=F1t")
        .op("Ut_next", "solve", params(), 7, 1, "a=A1", "b=B1")
        .op("U_next", "transpose", params(), 8, 1, "x=Ut_next")
        .op("model2", "matmul", params(), 9, 2, "a=U_next", "b=Vt")
        .op("fill2", "mul", params(), 10, 2, "a=unobs", "b=model2")
        .op("F2", "add", params(), 11, 2, "a=MR", "b=fill2")
        .op("Ut", "transpose", params(), 9, 3, "x=U_next")
        .op("UtU", "matmul", params(), 10, 3, "a=Ut", "b=U_next")
        .op("A2", "add", params(), 11, 4, "a=UtU", "b=reg")
        .op("B2", "matmul", params(), 12, 3, "a=Ut", "b=F2")
        .op("Vt_next", "solve", params(), 13, 3, "a=A2", "b=B2")
        .op("V_next", "transpose", params(), 14, 3, "x=Vt_next")
        .output("U", "U_next", 15, 1)
        .output("V", "V_next", 15, 3);

    GraphDoc g =
        new GraphDoc(
            "als",
            "Matrix completion by alternating least squares, rank 3, lambda 0.1, 15 sweeps."
                + " Unobserved ratings (mask 0) are filled from the current model U V^T before"
                + " each half-step, which then solves the whole-matrix regularised normal"
                + " equations. Reports U, V and the RMSE over the observed entries.");
    g.input("R", F64, shape(30L, 20L), 0, 0)
        .input("mask", F64, shape(30L, 20L), 0, 1)
        .input("V0", F64, shape(20L, 3L), 0, 4)
        .op("MR", "mul", params(), 1, 0, "a=mask", "b=R")
        .op("one", "constant", params("value", 1.0), 0, 2)
        .op("unobs", "sub", params(), 1, 2, "a=one", "b=mask")
        .op("eye", "eye", params("n", 3L), 0, 3)
        .op("lambda", "constant", params("value", 0.1), 0, 5)
        .op("reg", "mul", params(), 1, 3, "a=eye", "b=lambda")
        .op("U0", "zeros", params("shape", List.of(30L, 3L)), 1, 5)
        .loop(
            "sweeps",
            params("count", 15L),
            body,
            2,
            2,
            "U=U0",
            "V=V0",
            "MR=MR",
            "unobs=unobs",
            "reg=reg")
        .op("Vt", "transpose", params(), 3, 3, "x=sweeps:V")
        .op("model", "matmul", params(), 4, 2, "a=sweeps:U", "b=Vt")
        .op("err", "sub", params(), 5, 2, "a=model", "b=R")
        .op("sq", "square", params(), 6, 2, "x=err")
        .op("masked", "mul", params(), 7, 2, "a=mask", "b=sq")
        .op("sse", "sum", params(), 8, 2, "x=masked")
        .op("observed", "sum", params(), 8, 1, "x=mask")
        .op("mse", "div", params(), 9, 2, "a=sse", "b=observed")
        .op("rmse", "sqrt", params(), 10, 2, "x=mse")
        .output("U", "sweeps:U", 11, 0)
        .output("V", "sweeps:V", 11, 1)
        .output("rmse", "rmse", 11, 2);
    return g.build();
  }
}

#!/usr/bin/env python3
"""Regenerates the inputs and expected outputs of every JetLag example.

Usage (from the repository root or anywhere):

    python3 examples/make_data.py            # write every example's .npy files
    python3 examples/make_data.py --check    # also print sanity checks against NumPy/LAPACK

Needs NumPy only. Every data set is synthetic and drawn from a seeded
``numpy.random.default_rng``, so running the script again gives the same bytes
(for a given NumPy build; expected outputs are compared with a tolerance anyway).

Each ``reference_*`` function below is the NumPy twin of the example's graph.json:
the same algorithm with the same operations in the same order, so the runner's
results and ``expected/*.npy`` differ only by floating-point rounding.
"""

import argparse
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def save(example, name, array, expected=False):
    folder = os.path.join(HERE, example, "expected" if expected else "")
    os.makedirs(folder, exist_ok=True)
    array = np.array(array, order="C")  # keeps 0-d scalars 0-d (ascontiguousarray would not)
    np.save(os.path.join(folder, name + ".npy"), array, allow_pickle=False)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# ----------------------------------------------------------------------------- logistic regression

LOGREG_ITERATIONS = 200
LOGREG_LR = 0.5


def make_logistic_regression():
    rng = np.random.default_rng(20240101)
    n, d = 400, 5
    X = rng.standard_normal((n, d))
    w_true = np.array([1.5, -2.0, 0.75, 0.0, 0.5])
    b_true = -0.25
    p_true = sigmoid(X @ w_true + b_true)
    y = (rng.random(n) < p_true).astype(np.float64)
    return {"X": X, "y": y}


def reference_logistic_regression(X, y):
    w = np.zeros(X.shape[1])  # zeros [5]
    b = np.float64(0.0)  # constant 0.0
    for _ in range(LOGREG_ITERATIONS):  # loop train, count 200
        lr = np.float64(LOGREG_LR)
        p = sigmoid(np.matmul(X, w) + b)  # matmul, add, sigmoid
        r = p - y  # sub
        gw = np.mean(X.T * r, axis=1)  # transpose, mul, mean axis [1]
        gb = np.mean(r)  # mean
        w = w - lr * gw
        b = b - lr * gb
    p = sigmoid(np.matmul(X, w) + b)
    one = np.float64(1.0)
    ll = y * np.log(p) + (one - y) * np.log(one - p)
    loss = -np.mean(ll)
    accuracy = np.mean(((p > 0.5).astype(np.float64) == y).astype(np.float64))
    return {"w": w, "b": np.float64(b), "loss": np.float64(loss), "accuracy": np.float64(accuracy)}


# ----------------------------------------------------------------------------- k-means

KMEANS_K = 3
KMEANS_ITERATIONS = 20


def make_kmeans():
    rng = np.random.default_rng(20240202)
    centres = np.array([[0.0, 0.0], [5.0, 5.0], [-4.0, 6.0]])
    sizes = [120, 100, 80]
    X = np.concatenate(
        [c + rng.normal(scale=1.0, size=(s, 2)) for c, s in zip(centres, sizes)]
    )
    X = X[rng.permutation(len(X))]
    init = X[rng.choice(len(X), size=KMEANS_K, replace=False)].copy()
    return {"X": X, "init": init}


def sq_dist(X, C):
    # expand_dims, expand_dims, sub, square, sum axis [2]
    return np.sum(np.square(np.expand_dims(X, 1) - np.expand_dims(C, 0)), axis=2)


def reference_kmeans(X, init):
    C = init.copy()
    for _ in range(KMEANS_ITERATIONS):  # loop lloyd, count 20
        labels = np.argmin(sq_dist(X, C), axis=1)
        onehot = (np.expand_dims(labels, 1) == np.arange(KMEANS_K)).astype(np.float64)
        totals = np.matmul(onehot.T, X)
        counts = np.expand_dims(np.sum(onehot, axis=0), 1)
        means = totals / np.maximum(counts, 1.0)
        C = np.where(counts > 0.0, means, C)
    d2 = sq_dist(X, C)
    labels = np.argmin(d2, axis=1).astype(np.int64)
    inertia = np.sum(np.min(d2, axis=1))
    return {"centroids": C, "labels": labels, "inertia": np.float64(inertia)}


# ----------------------------------------------------------------------------- linear regression


def make_linear_regression():
    rng = np.random.default_rng(20240303)
    n = 500
    features = rng.standard_normal((n, 3))
    X = np.concatenate([np.ones((n, 1)), features], axis=1)  # first column: intercept
    beta = np.array([2.0, 0.5, -1.25, 3.0])
    y = X @ beta + 0.1 * rng.standard_normal(n)
    return {"X": X, "y": y}


def reference_linear_regression(X, y):
    Xt = X.T
    coef = np.linalg.solve(np.matmul(Xt, X), np.matmul(Xt, y))
    resid = np.matmul(X, coef) - y
    return {"coef": coef, "residual_norm": np.float64(np.linalg.norm(resid))}


# ----------------------------------------------------------------------------- PCA

PCA_ITERATIONS = 100


def make_pca():
    rng = np.random.default_rng(20240404)
    n, d = 600, 5
    scales = np.array([3.0, 1.5, 1.0, 0.5, 0.25])
    Z = rng.standard_normal((n, d)) * scales
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))  # a random rotation
    X = Z @ Q.T + np.array([10.0, -5.0, 2.0, 0.0, 1.0])
    return {"X": X}


def reference_pca(X):
    mu = np.mean(X, axis=0, keepdims=True)
    Xc = X - mu
    n = np.sum(np.all(np.isfinite(X), axis=1))  # the row count, as int64
    cov = np.matmul(Xc.T, Xc) / (n - np.int64(1))
    v = np.ones(X.shape[1])
    for _ in range(PCA_ITERATIONS):  # loop power, count 100
        cv = np.matmul(cov, v)
        v = cv / np.linalg.norm(cv)
    eigenvalue = np.matmul(v, np.matmul(cov, v))
    total = np.sum(np.var(X, axis=0, ddof=1))
    return {
        "component": v,
        "eigenvalue": np.float64(eigenvalue),
        "explained_variance_ratio": np.float64(eigenvalue / total),
    }


def check_pca(X, out):
    Xc = X - X.mean(axis=0)
    vals, vecs = np.linalg.eigh(np.cov(Xc, rowvar=False))
    top = vecs[:, -1]
    cos = abs(float(np.dot(top, out["component"])))
    print(
        "pca: |cos(power, eigh)| = %.15f, eigenvalue %.12g vs eigh %.12g"
        % (cos, out["eigenvalue"], vals[-1])
    )
    assert cos > 1 - 1e-10 and abs(out["eigenvalue"] - vals[-1]) < 1e-9 * vals[-1]


# ----------------------------------------------------------------------------- ALS

ALS_RANK = 3
ALS_LAMBDA = 0.1
ALS_ITERATIONS = 15


def make_als():
    rng = np.random.default_rng(20240505)
    m, n, k = 30, 20, ALS_RANK
    U_true = rng.standard_normal((m, k))
    V_true = rng.standard_normal((n, k))
    R = U_true @ V_true.T + 0.05 * rng.standard_normal((m, n))
    mask = (rng.random((m, n)) < 0.7).astype(np.float64)
    R = R * mask  # unobserved entries are stored as 0 and never read
    V0 = 0.1 * rng.standard_normal((n, k))
    return {"R": R, "mask": mask, "V0": V0}


def reference_als(R, mask, V0):
    m = R.shape[0]
    MR = mask * R
    unobs = np.float64(1.0) - mask
    reg = np.eye(ALS_RANK) * np.float64(ALS_LAMBDA)
    U = np.zeros((m, ALS_RANK))
    V = V0.copy()
    for _ in range(ALS_ITERATIONS):  # loop sweeps, count 15
        Vt = V.T
        F = MR + unobs * np.matmul(U, Vt)  # fill unobserved entries with the model
        U = np.linalg.solve(np.matmul(Vt, V) + reg, np.matmul(Vt, F.T)).T
        F = MR + unobs * np.matmul(U, Vt)
        Ut = U.T
        V = np.linalg.solve(np.matmul(Ut, U) + reg, np.matmul(Ut, F)).T
    err = np.matmul(U, V.T) - R
    rmse = np.sqrt(np.sum(mask * np.square(err)) / np.sum(mask))
    return {"U": U, "V": V, "rmse": np.float64(rmse)}


# ----------------------------------------------------------------------------- main

EXAMPLES = [
    ("logistic-regression", make_logistic_regression, reference_logistic_regression, None),
    ("kmeans", make_kmeans, reference_kmeans, None),
    ("linear-regression", make_linear_regression, reference_linear_regression, None),
    ("pca", make_pca, reference_pca, check_pca),
    ("als", make_als, reference_als, None),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print sanity checks")
    args = parser.parse_args()
    for name, make, reference, check in EXAMPLES:
        inputs = make()
        for k, v in inputs.items():
            save(name, k, v)
        outputs = reference(**inputs)
        for k, v in outputs.items():
            save(name, k, v, expected=True)
        print(name + ": " + ", ".join(
            "%s %s%s" % (k, v.dtype, list(v.shape)) for k, v in outputs.items()))
        if args.check:
            for k, v in outputs.items():
                if v.ndim == 0:
                    print("  %s = %.15g" % (k, v))
            if check is not None:
                check(inputs["X"], outputs)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""NumPy and Dask side of the JetLag benchmark: ``peers.py GROUP [reps]``.

Prints ``RESULT key seconds`` lines (median of ``reps`` timed runs after warm-up), the same
format as the Java harness, for ``benchmarks/report.py``. Data generation is never timed.
Dask uses the threaded scheduler with 2 workers; NumPy is whatever the interpreter links
(Debian's numpy uses OpenBLAS for matmul, with its own threads).
"""
import statistics
import sys
import time

import numpy as np
import dask
import dask.array as da

N = 50_000_000
M = 5000
MM = 2000
ROWS = 1_000_000
FEAT = 10
K = 8
ITERS = 10
TINY = 100_000
DASK_CHUNK = 4_000_000  # elements (32 MB) per Dask chunk for 1-D arrays: 13 chunks for 50 M

REPS = 7
dask.config.set(scheduler="threads", num_workers=2)


def result(key, seconds):
    print(f"RESULT {key} {seconds:.9f}", flush=True)


def info(key, value):
    print(f"INFO {key} {value}", flush=True)


def timeit(fn, warm=2, reps=None):
    reps = reps or REPS
    for _ in range(warm):
        fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t0)
        del out
    return statistics.median(ts)


def data(seed, lo, *shape):
    return lo + np.random.default_rng(seed).random(shape)


def versions():
    info("peer.python", sys.version.split()[0])
    info("peer.numpy", np.__version__)
    info("peer.dask", dask.__version__)


def elementwise():
    a = data(1, 0.5, N)
    b = data(2, 0.5, N)
    result("numpy.ew.fused", timeit(lambda: a * b + 2))
    result("numpy.ew.chain5", timeit(lambda: ((a * b + 2) * a - b) / 2))
    # One temporary-free variant, what a careful NumPy user writes (np.multiply out=...).
    out = np.empty_like(a)

    def inplace():
        np.multiply(a, b, out=out)
        np.add(out, 2, out=out)
        return None

    result("numpy.ew.fused_inplace", timeit(inplace))
    x = da.from_array(a, chunks=DASK_CHUNK)
    y = da.from_array(b, chunks=DASK_CHUNK)
    result("dask.ew.fused", timeit(lambda: (x * y + 2).compute()))
    result("dask.ew.chain5", timeit(lambda: (((x * y + 2) * x - y) / 2).compute()))


def transcendental():
    a = data(1, 0.5, N)
    b = data(2, 0.5, N)
    result("numpy.transc", timeit(lambda: np.sqrt(a) + np.sin(b)))
    x = da.from_array(a, chunks=DASK_CHUNK)
    y = da.from_array(b, chunks=DASK_CHUNK)
    result("dask.transc", timeit(lambda: (da.sqrt(x) + da.sin(y)).compute()))


def reductions():
    a = data(1, 0.5, N)
    result("numpy.sum", timeit(lambda: a.sum(), warm=3))
    x = da.from_array(a, chunks=DASK_CHUNK)
    result("dask.sum", timeit(lambda: x.sum().compute(), warm=3))
    del a, x
    A = data(3, 0.5, M, M)
    X = da.from_array(A, chunks=(500, M))  # 20 MB row blocks
    for axis in (0, 1):
        result(f"numpy.mean_axis{axis}", timeit(lambda: A.mean(axis=axis), warm=3))
        result(f"dask.mean_axis{axis}", timeit(lambda: X.mean(axis=axis).compute(), warm=3))


def matmul():
    A = data(1, -0.5, MM, MM)
    B = data(2, -0.5, MM, MM)
    result("numpy.matmul", timeit(lambda: A @ B, warm=1, reps=min(REPS, 5)))
    X = da.from_array(A, chunks=(1000, 1000))
    Y = da.from_array(B, chunks=(1000, 1000))
    result("dask.matmul", timeit(lambda: (X @ Y).compute(), warm=1, reps=min(REPS, 5)))
    try:
        cfg = np.show_config(mode="dicts")  # numpy >= 1.25
        info("peer.blas", cfg["Build Dependencies"]["blas"]["name"])
    except TypeError:
        import numpy.__config__ as c

        info("peer.blas", ",".join(getattr(c, "blas_opt_info", {}).get("libraries", ["?"])))



def logreg_step(X, y, w, lib):
    r = 1.0 / (1.0 + lib.exp(-(X @ w))) - y
    grad = (X.T @ r) / X.shape[0]  # same formulation as the JetLag graph
    return w - 0.1 * grad


def kmeans_step(X, C, lib):
    d2 = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)  # same formulation as the graph
    labels = d2.argmin(axis=1)
    onehot = (labels[:, None] == np.arange(K)).astype(np.float64)
    totals = onehot.T @ X
    counts = onehot.sum(axis=0)[:, None]
    means = totals / lib.maximum(counts, 1.0)
    return lib.where(counts > 0, means, C)


def ml():
    X = data(1, -0.5, ROWS, FEAT)
    y = (np.random.default_rng(7).random(ROWS) < 0.5).astype(np.float64)
    w = np.zeros(FEAT)
    C = X[:K].copy()

    def np_lr():
        v = w
        for _ in range(ITERS):
            v = logreg_step(X, y, v, np)
        return v

    def np_km():
        c = C
        for _ in range(ITERS):
            c = kmeans_step(X, c, np)
        return c

    result("numpy.logreg.step1", timeit(lambda: logreg_step(X, y, w, np)))
    result(f"numpy.logreg.loop{ITERS}", timeit(np_lr, warm=1))
    result("numpy.kmeans.step1", timeit(lambda: kmeans_step(X, C, np)))
    result(f"numpy.kmeans.loop{ITERS}", timeit(np_km, warm=0))

    # Dask: X in 8 row blocks (10 MB each), X persisted (in memory, like the others); each
    # iteration computes the new parameter (as a user of Dask's array API would, since the
    # next iteration needs it).
    Xd = da.from_array(X, chunks=(125_000, FEAT)).persist()
    yd = da.from_array(y, chunks=125_000).persist()

    def dk_lr(iters):
        v = w
        for _ in range(iters):
            v = logreg_step(Xd, yd, v, da).compute()
        return v

    def dk_km(iters):
        c = C
        for _ in range(iters):
            c = kmeans_step(Xd, c, da).compute()
        return c

    result("dask.logreg.step1", timeit(lambda: dk_lr(1)))
    result(f"dask.logreg.loop{ITERS}", timeit(lambda: dk_lr(ITERS), warm=1))
    result("dask.kmeans.step1", timeit(lambda: dk_km(1)))
    result(f"dask.kmeans.loop{ITERS}", timeit(lambda: dk_km(ITERS), warm=0))


def overhead():
    noop = dask.delayed(lambda i: i, pure=False)

    def delayed(n):
        tasks = [noop(i) for i in range(n)]
        return dask.compute(*tasks)

    delayed(10_000)  # warm-up
    result("dask.tiny_delayed", timeit(lambda: delayed(TINY), warm=0, reps=5))
    info("dask.tiny_delayed.tasks", TINY)
    # An array of 10k one-element chunks, x*2+1 then sum: tasks counted from the graph.
    n = 10_000
    a = np.random.default_rng(1).random(n)
    x = da.from_array(a, chunks=1)
    expr = (x * 2 + 1).sum()
    ntasks = len(dict(expr.__dask_graph__()))
    expr.compute()
    result("dask.tiny_array", timeit(lambda: expr.compute(), warm=0, reps=5))
    info("dask.tiny_array.tasks", ntasks)


def rss():
    import resource

    a = data(1, 0.5, N)
    b = data(2, 0.5, N)
    c = ((a * b + 2) * a - b) / 2
    info("rss.numpy.chain5.hwm_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    info("rss.numpy.chain5.live_bytes", a.nbytes + b.nbytes + c.nbytes)


if __name__ == "__main__":
    group = sys.argv[1]
    if len(sys.argv) > 2:
        REPS = int(sys.argv[2])
    if group == "versions":
        versions()
    else:
        globals()[group]()

#!/usr/bin/env python3
"""Writes the NumPy golden files the kernel tests compare against.

Run from the repository root:  python3 runners/kernels/src/test/python/make_goldens.py
Inputs are seeded, so the output is reproducible for a given NumPy/SciPy version.
NaN and infinities are written as the strings "nan", "inf", "-inf".
"""
import json
import math
import os

import numpy as np
import scipy.special

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "goldens")
RNG = np.random.default_rng(20240601)
NP = {"float64": np.float64, "float32": np.float32, "int64": np.int64, "int32": np.int32, "bool": np.bool_}
ORDER = ["bool", "int32", "int64", "float32", "float64"]

# Tolerances (rtol, atol): see runners/kernels/README.md.
EXACT = (0.0, 0.0)
ARITH = (1e-15, 1e-300)
TRANS = (1e-13, 1e-15)
F32 = (1e-6, 1e-30)
# float32 sums and products: NumPy accumulates in float32, the kernels in float64.
F32_ACC = (1e-5, 1e-5)
RED = (1e-12, 1e-12)
LINALG = (1e-10, 1e-10)


def enc(a):
    out = []
    for v in np.asarray(a).ravel().tolist():
        if isinstance(v, float):
            out.append("nan" if math.isnan(v) else "inf" if v == math.inf else "-inf" if v == -math.inf else v)
        elif isinstance(v, bool):
            out.append(int(v))
        else:
            out.append(v)
    return out


def arr(a):
    a = np.asarray(a)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "values": enc(a)}


def promote(a, b):
    if a == b:
        return a
    if (a == "float32" and b.startswith("int")) or (b == "float32" and a.startswith("int")):
        return "float64"
    return a if ORDER.index(a) >= ORDER.index(b) else b


def floating(d):
    return "float32" if d == "float32" else "float64"


def tol_for(dtype, default):
    if dtype in ("bool", "int32", "int64"):
        return EXACT
    if dtype == "float32":
        return F32
    return default


def sample(dtype, n=24, special=True):
    if dtype == "bool":
        return RNG.integers(0, 2, n).astype(bool)
    if dtype.startswith("int"):
        return RNG.integers(-50, 50, n).astype(NP[dtype])
    v = RNG.normal(0, 3, n)
    if special and n >= 5:
        v[:5] = [np.nan, np.inf, -np.inf, 0.0, -0.0]
    return v.astype(NP[dtype])


UNARY = {
    "neg": np.negative, "abs": np.abs, "sign": np.sign, "sqrt": np.sqrt, "square": np.square,
    "exp": np.exp, "log": np.log, "log1p": np.log1p, "sin": np.sin, "cos": np.cos, "tan": np.tan,
    "tanh": np.tanh, "sigmoid": scipy.special.expit, "relu": lambda x: np.maximum(x, 0).astype(x.dtype),
    "erf": scipy.special.erf, "floor": np.floor, "ceil": np.ceil, "round": np.round,
    "logical_not": np.logical_not, "isnan": np.isnan, "isfinite": np.isfinite,
}
SAME = {"neg", "sign", "relu", "square", "abs", "round"}
BOOLOUT = {"logical_not", "isnan", "isfinite"}
TRANSCENDENTAL = {"exp", "log", "log1p", "sin", "cos", "tan", "tanh", "sigmoid", "erf"}


def unary_cases():
    cases = []
    for fn, f in UNARY.items():
        for dt in ORDER:
            if fn in SAME and dt == "bool":
                continue
            keeps_int = fn in ("floor", "ceil") and dt.startswith("int")  # NumPy 2
            out = "bool" if fn in BOOLOUT else dt if (fn in SAME or keeps_int) else floating(dt)
            for n in (24, 0):
                x = sample(dt, n)
                if fn == "exp" and dt.startswith("float") and n:
                    x[5:] = np.clip(x[5:], -30, 30)
                xin = x.astype(np.float64) if (out == "float64" and dt != "float64") else x
                with np.errstate(all="ignore"):
                    y = np.asarray(f(xin)).astype(NP[out])
                base = TRANS if fn in TRANSCENDENTAL else ARITH
                cases.append({"op": "unary", "fn": fn, "a": arr(x), "out": arr(y),
                              "tol": tol_for(out, base)})
    # erf over a wide range, densely.
    x = np.concatenate([np.linspace(-7, 7, 2001), np.geomspace(1e-12, 6, 400), -np.geomspace(1e-12, 6, 50)])
    cases.append({"op": "unary", "fn": "erf", "a": arr(x), "out": arr(scipy.special.erf(x)), "tol": (2e-15, 1e-300)})
    x = np.array([-1000.0, -745.0, -50.0, -1e-300, 0.0, 1e-300, 50.0, 745.0, 1000.0])
    cases.append({"op": "unary", "fn": "sigmoid", "a": arr(x), "out": arr(scipy.special.expit(x)), "tol": TRANS})
    x = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.4999999, 1e300, -0.0])
    cases.append({"op": "unary", "fn": "round", "a": arr(x), "out": arr(np.round(x)), "tol": EXACT})
    return cases


BINARY = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide, "pow": np.power,
    "mod": np.mod, "maximum": np.maximum, "minimum": np.minimum, "equal": np.equal,
    "not_equal": np.not_equal, "less": np.less, "less_equal": np.less_equal, "greater": np.greater,
    "greater_equal": np.greater_equal, "logical_and": np.logical_and, "logical_or": np.logical_or,
}
CMP = {"equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "logical_and", "logical_or"}
PAIRS = [("float64", "float64"), ("float32", "float32"), ("int64", "int64"), ("int32", "int32"),
         ("int64", "float64"), ("int32", "float32"), ("bool", "bool"), ("int32", "int64"),
         ("bool", "float64")]


def binary_cases():
    cases = []
    for fn, f in BINARY.items():
        for da, db in PAIRS:
            p = promote(da, db)
            if fn in ("sub", "pow", "mod") and p == "bool":
                continue
            out = "bool" if fn in CMP else floating(p) if fn == "div" else p
            for shape in ("vv", "vs", "sv", "empty"):
                n = 0 if shape == "empty" else 30
                a = sample(da, 1 if shape == "sv" else n)
                b = sample(db, 1 if shape == "vs" else n)
                if fn == "pow":
                    if db.startswith("int"):
                        b = np.abs(b) % 5
                    if da.startswith("int"):
                        a = a % 7
                    if da.startswith("float") and db.startswith("float"):
                        b = np.where(np.isfinite(b), np.round(b * 2) / 2, b).astype(b.dtype)
                if fn in CMP and len(a) == len(b) and len(a) > 10:
                    b[10:15] = a[10:15].astype(b.dtype)  # some equal pairs
                if fn == "mod" and db.startswith("int") and len(b) > 6:
                    b[6] = 0
                with np.errstate(all="ignore"):
                    y = np.asarray(f(a, b)).astype(NP[out])
                cases.append({"op": "binary", "fn": fn, "a": arr(a), "b": arr(b), "out": arr(y),
                              "tol": tol_for(out, TRANS if fn == "pow" else ARITH)})
    return cases


def other_elementwise():
    cases = []
    for da, db in [("float64", "float64"), ("int32", "float32"), ("int64", "int64"), ("bool", "int32")]:
        c = RNG.integers(0, 2, 20).astype(bool)
        a = sample(da, 20)
        b = sample(db, 20)
        out = promote(da, db)
        cases.append({"op": "where", "cond": arr(c), "a": arr(a), "b": arr(b),
                      "out": arr(np.where(c, a, b).astype(NP[out])), "tol": EXACT})
    c = sample("float64", 20)
    a = sample("float64", 1)
    b = sample("float64", 20)
    cases.append({"op": "where", "cond": arr(c), "a": arr(a), "b": arr(b),
                  "out": arr(np.where(c != 0, a, b)), "tol": EXACT})
    for dt in ("float64", "float32", "int64", "int32"):
        x = sample(dt, 20)
        for lo, hi in ((-1.0, 2.0), (None, 0.5), (-0.5, None)):
            y = x
            if lo is not None:
                y = np.maximum(y, lo) if dt.startswith("float") else np.maximum(y, math.ceil(lo))
            if hi is not None:
                y = np.minimum(y, hi) if dt.startswith("float") else np.minimum(y, math.floor(hi))
            cases.append({"op": "clip", "a": arr(x), "min": "-inf" if lo is None else lo,
                          "max": "inf" if hi is None else hi, "out": arr(np.asarray(y).astype(x.dtype)),
                          "tol": EXACT})
    for src in ORDER:
        for dst in ORDER:
            x = sample(src, 20, special=False)
            if src.startswith("float"):
                x[0:3] = [2.7, -2.7, 0.0]
            cases.append({"op": "cast", "a": arr(x), "out": arr(x.astype(NP[dst])), "tol": EXACT})
    return cases


RED_NP = {
    "sum": np.sum, "prod": np.prod, "mean": np.mean, "var": np.var, "std": np.std, "min": np.min,
    "max": np.max, "argmin": np.argmin, "argmax": np.argmax, "all": np.all, "any": np.any,
    "logsumexp": scipy.special.logsumexp,
}


def red_dtype(fn, d):
    if fn in ("sum", "prod"):
        return "int64" if d in ("bool", "int32") else d
    if fn in ("mean", "var", "std", "logsumexp"):
        return floating(d)
    if fn in ("min", "max"):
        return d
    if fn in ("argmin", "argmax"):
        return "int64"
    return "bool"


def reduction_cases():
    cases = []
    shapes = [(7,), (6, 5), (4, 3, 5), (3, 2, 2, 3)]
    for fn, f in RED_NP.items():
        for dt in ORDER:
            if fn == "logsumexp" and dt == "bool":
                continue
            for shape in shapes:
                size = int(np.prod(shape))
                x = sample(dt, size, special=False).reshape(shape)
                if fn == "prod" and dt.startswith("float"):
                    x = (RNG.uniform(0.5, 1.5, size)).astype(NP[dt]).reshape(shape)
                r = len(shape)
                axes_list = [None] + [[k] for k in range(r)]
                if r >= 3 and fn not in ("argmin", "argmax"):
                    axes_list += [[0, 2], [1, 2], [0, 1]]
                for axes in axes_list:
                    kw = {}
                    if axes is not None:
                        kw["axis"] = axes[0] if fn in ("argmin", "argmax") else tuple(axes)
                    ddofs = [0, 1] if fn in ("var", "std") else [0]
                    for ddof in ddofs:
                        if ddof:
                            kw["ddof"] = ddof
                        xin = x.astype(np.float64) if fn == "logsumexp" else x
                        with np.errstate(all="ignore"):
                            y = np.asarray(f(xin, **kw)).astype(NP[red_dtype(fn, dt)])
                        cases.append({"op": "reduce", "fn": fn, "x": arr(x), "axes": axes, "ddof": ddof,
                                      "out": arr(y), "tol": F32_ACC if red_dtype(fn, dt) == "float32" else tol_for(red_dtype(fn, dt), RED)})
        # NaN propagation and first-occurrence.
        if fn not in ("all", "any"):
            x = np.array([[1.0, np.nan, 3.0, np.nan], [2.0, 2.0, -1.0, -1.0], [np.inf, 5.0, 5.0, -np.inf]])
            for axes in (None, [0], [1]):
                kw = {} if axes is None else {"axis": axes[0] if fn.startswith("arg") else tuple(axes)}
                with np.errstate(all="ignore"):
                    y = np.asarray(f(x, **kw)).astype(NP[red_dtype(fn, "float64")])
                cases.append({"op": "reduce", "fn": fn, "x": arr(x), "axes": axes, "ddof": 0,
                              "out": arr(y), "tol": RED})
        # Empty reductions.
        x = np.zeros((0, 3))
        if fn in ("min", "max", "argmin", "argmax"):
            cases.append({"op": "reduce", "fn": fn, "x": arr(x), "axes": [0], "ddof": 0, "error": True})
        else:
            with np.errstate(all="ignore"):
                y = np.asarray(f(x, axis=0)).astype(NP[red_dtype(fn, "float64")])
            cases.append({"op": "reduce", "fn": fn, "x": arr(x), "axes": [0], "ddof": 0,
                          "out": arr(y), "tol": RED})
    return cases


def linalg_cases():
    cases = []
    for sa, sb in [((4, 3), (3, 5)), ((3,), (3, 4)), ((4, 3), (3,)), ((5,), (5,)), ((2, 4, 3), (3, 2)),
                   ((2, 1, 3, 4), (3, 4, 2))]:
        for dt in ("float64", "float32", "int64", "int32"):
            a = sample(dt, int(np.prod(sa)), special=False).reshape(sa)
            b = sample(dt, int(np.prod(sb)), special=False).reshape(sb)
            y = np.matmul(a, b)
            cases.append({"op": "matmul", "a": arr(a), "b": arr(b), "out": arr(y), "tol": F32_ACC if dt == "float32" else tol_for(dt, LINALG)})
            if len(sa) <= 2 and len(sb) <= 2:
                cases.append({"op": "dot", "a": arr(a), "b": arr(b), "out": arr(np.dot(a, b)),
                              "tol": F32_ACC if dt == "float32" else tol_for(dt, LINALG)})
    for dt in ("float64", "int64", "int32"):
        a = sample(dt, 6, special=False).reshape(2, 3)
        b = sample(dt, 4, special=False)
        cases.append({"op": "outer", "a": arr(a), "b": arr(b), "out": arr(np.outer(a, b)), "tol": tol_for(dt, LINALG)})
    for n in (1, 3, 8):
        a = RNG.normal(size=(n, n)) + n * np.eye(n)
        b1 = RNG.normal(size=(n,))
        b2 = RNG.normal(size=(n, 2))
        cases.append({"op": "solve", "a": arr(a), "b": arr(b1), "out": arr(np.linalg.solve(a, b1)), "tol": LINALG})
        cases.append({"op": "solve", "a": arr(a), "b": arr(b2), "out": arr(np.linalg.solve(a, b2)), "tol": LINALG})
        cases.append({"op": "inverse", "a": arr(a), "out": arr(np.linalg.inv(a)), "tol": LINALG})
        cases.append({"op": "det", "a": arr(a), "out": arr(np.linalg.det(a)), "tol": LINALG})
    ai = RNG.integers(-5, 5, (4, 4)).astype(np.int64) + 10 * np.eye(4, dtype=np.int64)
    cases.append({"op": "det", "a": arr(ai), "out": arr(np.linalg.det(ai)), "tol": LINALG})
    cases.append({"op": "inverse", "a": arr(ai), "out": arr(np.linalg.inv(ai)), "tol": LINALG})
    cases.append({"op": "det", "a": arr(np.zeros((0, 0))), "out": arr(np.float64(1.0)), "tol": LINALG})
    sing = np.array([[1.0, 2.0], [2.0, 4.0]])
    cases.append({"op": "solve", "a": arr(sing), "b": arr(np.ones(2)), "error": True})
    cases.append({"op": "inverse", "a": arr(sing), "error": True})
    cases.append({"op": "det", "a": arr(sing), "out": arr(np.float64(0.0)), "tol": LINALG})
    for dt in ("float64", "int64"):
        x = sample(dt, 24, special=False).reshape(2, 3, 4)
        xf = x.astype(np.float64)
        for axes in (None, [0], [2], [1, 2]):
            ax = None if axes is None else tuple(axes)
            for ord_, y in (("2", np.sqrt(np.sum(xf * xf, axis=ax))), ("1", np.sum(np.abs(xf), axis=ax)),
                            ("inf", np.max(np.abs(xf), axis=ax))):
                cases.append({"op": "norm", "a": arr(x), "axes": axes, "ord": ord_, "out": arr(np.asarray(y)),
                              "tol": LINALG})
    return cases


def sorting_cases():
    cases = []
    for dt in ORDER:
        for shape in ((17,), (4, 6), (3, 4, 5)):
            x = sample(dt, int(np.prod(shape)), special=dt.startswith("float")).reshape(shape)
            if dt.startswith("int"):
                x = (x % 5).astype(x.dtype)  # many ties
            for axis in range(len(shape)):
                cases.append({"op": "sort", "x": arr(x), "axis": axis, "out": arr(np.sort(x, axis=axis, kind="stable")),
                              "tol": EXACT})
                cases.append({"op": "argsort", "x": arr(x), "axis": axis,
                              "out": arr(np.argsort(x, axis=axis, kind="stable")), "tol": EXACT})
    return cases


def shape_cases():
    cases = []
    for dt in ("float64", "int32"):
        for shape, perm in (((3, 4), (1, 0)), ((70, 45), (1, 0)), ((2, 3, 4), (2, 0, 1)), ((2, 3, 4, 5), (3, 1, 0, 2)),
                            ((5,), (0,))):
            x = sample(dt, int(np.prod(shape)), special=False).reshape(shape)
            cases.append({"op": "transpose", "x": arr(x), "perm": list(perm), "out": arr(np.transpose(x, perm)),
                          "tol": EXACT})
        x = sample(dt, 60, special=False).reshape(3, 4, 5)
        for start, stop, step in (([1], [3], [1]), ([0, -1], [3, 0], [2, -1]), ([], [], [1, 1, -2]),
                                  ([5, 1, 1], [9, 3, 5], [1, 1, 3]), ([-10], [10], [1])):
            sl = tuple(slice(start[i] if i < len(start) else None, stop[i] if i < len(stop) else None,
                             step[i] if i < len(step) else None) for i in range(3))
            cases.append({"op": "slice", "x": arr(x), "start": start, "stop": stop, "step": step,
                          "out": arr(x[sl]), "tol": EXACT})
    a = sample("float64", 6, special=False).reshape(2, 3)
    b = sample("int32", 9, special=False).reshape(3, 3)
    c = sample("float32", 3, special=False).reshape(1, 3)
    cases.append({"op": "concat", "xs": [arr(a), arr(b), arr(c)], "axis": 0,
                  "out": arr(np.concatenate([a, b, c], axis=0)), "tol": EXACT})
    d = sample("int64", 4, special=False).reshape(2, 2)
    cases.append({"op": "concat", "xs": [arr(a), arr(d)], "axis": 1, "out": arr(np.concatenate([a, d], axis=1)),
                  "tol": EXACT})
    e = sample("float64", 6, special=False).reshape(2, 3)
    f = sample("int64", 6, special=False).reshape(2, 3)
    for axis in (0, 1, 2):
        cases.append({"op": "stack", "xs": [arr(a), arr(e), arr(f)], "axis": axis,
                      "out": arr(np.stack([a, e, f], axis=axis)), "tol": EXACT})
    x = sample("float64", 3, special=False).reshape(3, 1)
    cases.append({"op": "broadcast", "x": arr(x), "to": [2, 3, 4], "out": arr(np.broadcast_to(x, (2, 3, 4))),
                  "tol": EXACT})
    return cases


def creation_cases():
    cases = []
    for start, stop, step, dt in ((0, 10, 1, "int64"), (2, 20, 3, "int64"), (10, 0, -2, "int64"),
                                  (0.0, 1.0, 0.1, "float64"), (-1.5, 2.3, 0.37, "float64"), (0.1, 0.95, 0.1, "float32"),
                                  (0, 10, 1, "int32"), (0, 5, 1, "float64")):
        y = np.arange(start, stop, step, dtype=NP[dt])
        cases.append({"op": "arange", "params": {"start": start, "stop": stop, "step": step}, "out": arr(y),
                      "tol": tol_for(dt, EXACT)})
    for start, stop, num, endpoint, dt in ((0.0, 1.0, 11, True, "float64"), (-3.0, 7.5, 17, False, "float64"),
                                           (2.0, 2.0, 5, True, "float64"), (1.0, 10.0, 1, True, "float64"),
                                           (1.0, 10.0, 0, True, "float64"), (0.0, 10.0, 7, True, "int64"),
                                           (0.0, 1.0, 9, True, "float32")):
        y = np.linspace(start, stop, num, endpoint=endpoint, dtype=NP[dt])
        cases.append({"op": "linspace", "params": {"start": start, "stop": stop, "num": num, "endpoint": endpoint},
                      "out": arr(y), "tol": tol_for(dt, EXACT)})
    for n, m, k, dt in ((4, None, 0, "float64"), (3, 5, 1, "int64"), (5, 3, -2, "bool"), (4, 4, 7, "float32")):
        y = np.eye(n, m, k, dtype=NP[dt])
        cases.append({"op": "eye", "params": {"n": n, "m": m, "k": k}, "out": arr(y), "tol": EXACT})
    for dt in ("float64", "int32", "bool"):
        cases.append({"op": "zeros", "params": {}, "out": arr(np.zeros((2, 3), NP[dt])), "tol": EXACT})
        cases.append({"op": "ones", "params": {}, "out": arr(np.ones((2, 3), NP[dt])), "tol": EXACT})
        cases.append({"op": "full", "params": {"fill_value": 2.7}, "out": arr(np.full((2, 3), 2.7).astype(NP[dt])),
                      "tol": EXACT})
        lit = [[1.5, -2.5, 0.0], [3.0, 1e5, -0.7]]
        cases.append({"op": "constant", "params": {"value": lit}, "out": arr(np.array(lit).astype(NP[dt])),
                      "tol": EXACT})
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {
        "elementwise.json": unary_cases() + binary_cases() + other_elementwise(),
        "reductions.json": reduction_cases(),
        "linalg.json": linalg_cases(),
        "sorting.json": sorting_cases(),
        "shape.json": shape_cases(),
        "creation.json": creation_cases(),
    }
    for name, cases in files.items():
        with open(os.path.join(OUT, name), "w") as fh:
            json.dump({"numpy": np.__version__, "cases": cases}, fh, separators=(",", ":"))
            fh.write("\n")
        print(name, len(cases))


if __name__ == "__main__":
    main()

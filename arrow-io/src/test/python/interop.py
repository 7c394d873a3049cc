#!/usr/bin/env python3
"""pyarrow/NumPy side of the arrow-io interop test.

  interop.py check MANIFEST   read the files Java wrote and compare them with MANIFEST
  interop.py write DIR        write Arrow IPC and .npy files into DIR plus DIR/manifest.json

A manifest is a JSON list of {"file", "format": "arrow"|"npy", "dtype", "shape", "values"}, where
values are the flat row-major elements and floats may be the strings "nan", "inf" or "-inf".
Exits 0 on success; on a mismatch prints one line per problem and exits 1.
"""
import json
import os
import sys

import numpy as np
import pyarrow as pa

SPECIAL = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")}


def expected_array(entry):
    values = [SPECIAL.get(v, v) if isinstance(v, str) else v for v in entry["values"]]
    return np.array(values, dtype=entry["dtype"]).reshape(entry["shape"])


def read_arrow(path):
    with pa.memory_map(path) as source:
        t = pa.ipc.open_file(source).read_all()
    meta = t.schema.metadata
    if not meta or b"jetlag.shape" not in meta:
        return np.asarray(t.column(0))
    assert meta[b"jetlag.format"] == b"1", meta
    shape = json.loads(meta[b"jetlag.shape"])
    arr = np.asarray(t.column("data")).reshape(shape)
    assert arr.dtype.name == meta[b"jetlag.dtype"].decode(), (arr.dtype, meta)
    return arr


def check(manifest_path):
    with open(manifest_path) as f:
        manifest = json.load(f)
    problems = []
    for entry in manifest:
        path = os.path.join(os.path.dirname(manifest_path), entry["file"])
        try:
            actual = read_arrow(path) if entry["format"] == "arrow" else np.load(path)
        except Exception as e:  # report every file, not only the first
            problems.append(f"{entry['file']}: cannot read: {e!r}")
            continue
        expected = expected_array(entry)
        if actual.dtype != expected.dtype or actual.shape != expected.shape:
            problems.append(
                f"{entry['file']}: expected {expected.dtype}{list(expected.shape)}, "
                f"got {actual.dtype}{list(actual.shape)}")
            continue
        equal_nan = expected.dtype.kind == "f"
        if not np.array_equal(actual, expected, equal_nan=equal_nan):
            problems.append(f"{entry['file']}: values differ: expected {expected!r}, got {actual!r}")
    for p in problems:
        print(p)
    print(f"checked {len(manifest)} files, {len(problems)} problems")
    return 1 if problems else 0


def to_json(values):
    out = []
    for v in values.ravel().tolist():
        if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
            out.append("nan" if v != v else ("inf" if v > 0 else "-inf"))
        elif isinstance(v, bool):
            out.append(int(v))
        else:
            out.append(v)
    return out


def write_arrow(path, arr, rows_per_batch):
    flat = pa.array(arr.ravel())
    meta = {"jetlag.format": "1", "jetlag.dtype": arr.dtype.name,
            "jetlag.shape": json.dumps(list(arr.shape), separators=(",", ":"))}
    schema = pa.schema([pa.field("data", flat.type, nullable=False)], metadata=meta)
    row = int(np.prod(arr.shape[1:])) if arr.ndim > 0 else 1
    rows = arr.shape[0] if arr.ndim > 0 else 1
    with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        for start in range(0, rows, rows_per_batch):
            stop = min(rows, start + rows_per_batch)
            writer.write_batch(pa.record_batch([flat.slice(start * row, (stop - start) * row)], schema=schema))


def write(directory):
    rng = np.random.default_rng(1234)
    samples = {
        "float64": np.array([[1.5, np.nan, np.inf], [-np.inf, -0.0, 1e-300], [2.0, 3.0, 4.0]]),
        "float32": np.array([[[1.25, np.nan], [np.inf, -7.5]], [[0.1, -0.0], [3e38, 1e-30]]], dtype=np.float32),
        "int64": np.array([np.iinfo(np.int64).min, -1, 0, 1, np.iinfo(np.int64).max], dtype=np.int64),
        "int32": rng.integers(-2**31, 2**31, size=(2, 3, 2, 2)).astype(np.int32),
        "bool": np.array([[True, False], [False, True], [True, True]]),
    }
    manifest = []
    for name, arr in samples.items():
        for fmt in ("arrow", "npy"):
            fname = f"py_{name}.{fmt}"
            path = os.path.join(directory, fname)
            if fmt == "arrow":
                write_arrow(path, arr, 2)
            else:
                np.save(path, arr)
            manifest.append({"file": fname, "format": fmt, "dtype": name,
                             "shape": list(arr.shape), "values": to_json(arr)})
    scalar = np.array(2.5)
    np.save(os.path.join(directory, "py_scalar.npy"), scalar)
    manifest.append({"file": "py_scalar.npy", "format": "npy", "dtype": "float64", "shape": [],
                     "values": [2.5]})
    empty = np.zeros((0, 4), dtype=np.int32)
    write_arrow(os.path.join(directory, "py_empty.arrow"), empty, 2)
    np.save(os.path.join(directory, "py_empty.npy"), empty)
    for fmt in ("arrow", "npy"):
        manifest.append({"file": f"py_empty.{fmt}", "format": fmt, "dtype": "int32", "shape": [0, 4],
                         "values": []})
    # A plain pyarrow file without the JetLag metadata reads as 1-D.
    plain = pa.table({"x": pa.array([3.0, 4.0, 5.0])})
    with pa.OSFile(os.path.join(directory, "py_plain.arrow"), "wb") as sink, \
            pa.ipc.new_file(sink, plain.schema) as writer:
        writer.write_table(plain)
    manifest.append({"file": "py_plain.arrow", "format": "arrow", "dtype": "float64", "shape": [3],
                     "values": [3.0, 4.0, 5.0]})
    with open(os.path.join(directory, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"wrote {len(manifest)} files")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("check", "write"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(check(sys.argv[2]) if sys.argv[1] == "check" else write(sys.argv[2]))

#!/usr/bin/env bash
# The memory target of PERFORMANCE.md: a chain of 20 elementwise ops (and a sum) over an 8 GB
# input, run with a 4 GB heap and a 4 GB direct-memory limit. Writes an 8 GB .npy (and a graph)
# under ${BIG_DIR:-/tmp/jetlag-big}, runs bin/jetlag on it under /usr/bin/time, and checks the
# result against NumPy reading the same file in slices. Needs ~8 GB of free disk; ≈1 minute.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${BIG_DIR:-/tmp/jetlag-big}"
N="${BIG_N:-1000000000}"
mkdir -p "$DIR"
python3 - "$DIR" "$N" <<'PY'
import json, os, sys
import numpy as np
d, n = sys.argv[1], int(sys.argv[2])
path = os.path.join(d, "x.npy")
if not (os.path.exists(path) and np.load(path, mmap_mode="r").shape == (n,)):
    m = np.lib.format.open_memmap(path, mode="w+", dtype=np.float64, shape=(n,))
    step = 50_000_000
    for i in range(0, n, step):
        m[i:i + step] = np.arange(i, min(n, i + step), dtype=np.float64) * 1e-9
    m.flush()
nodes = [{"id": "x", "op": "input", "params": {"name": "x", "dtype": "float64", "shape": [None]}}]
edges, prev = [], "x"
for i, (op, c) in enumerate([("mul", 1.0001), ("add", 0.5), ("sub", 0.25), ("mul", 0.999), ("add", 1.0)] * 4):
    nodes += [{"id": f"c{i}", "op": "constant", "params": {"value": c}}, {"id": f"n{i}", "op": op}]
    edges += [{"from": f"{prev}:out", "to": f"n{i}:a"}, {"from": f"c{i}:out", "to": f"n{i}:b"}]
    prev = f"n{i}"
nodes += [{"id": "total", "op": "sum"}, {"id": "out_total", "op": "output", "params": {"name": "total"}}]
edges += [{"from": f"{prev}:out", "to": "total:x"}, {"from": "total:out", "to": "out_total:x"}]
json.dump({"formatVersion": 1, "name": "chain20", "nodes": nodes, "edges": edges},
          open(os.path.join(d, "chain20.json"), "w"), indent=1)
PY
ls -la "$DIR/x.npy"
JETLAG_JAVA_OPTS="-Xmx4g -XX:MaxDirectMemorySize=4g" /usr/bin/time -f "peak RSS %M KB, wall %e s" \
  "$ROOT/bin/jetlag" run "$DIR/chain20.json" --input x="$DIR/x.npy" --memory 3GiB --output "$DIR/out" --format npy
python3 - "$DIR" <<'PY'
import sys
import numpy as np
d = sys.argv[1]
x = np.load(f"{d}/x.npy", mmap_mode="r")
total = 0.0
for i in range(0, len(x), 100_000_000):
    y = np.asarray(x[i:i + 100_000_000])
    for _ in range(4):
        y = (((y * 1.0001) + 0.5) - 0.25) * 0.999 + 1.0
    total += y.sum()
got = float(np.load(f"{d}/out/total.npy"))
print(f"NumPy {total!r}, JetLag {got!r}, relative difference {abs(got - total) / abs(total):.2e}")
assert abs(got - total) <= 1e-9 * abs(total)
PY

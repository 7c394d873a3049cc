#!/usr/bin/env bash
# The runners side by side (docs/benchmarks.md, "Runners"): every example, and a 1 GB
# elementwise + reduction pipeline, on local, Beam's DirectRunner (checks off), embedded Flink and
# a Flink session cluster on this machine. Each run is one `jetlag run` (a fresh JVM) timed from
# outside; the cluster's start-up is timed apart, once. Outputs of every runner are compared with
# the local runner's. Writes a Markdown table to stdout and raw times to $OUT/times.tsv.
#
#   benchmarks/runners.sh                 # all examples + 1 GB pipeline (long: see below)
#   RUNNERS_BIG_N=0 benchmarks/runners.sh # examples only
#   RUNNERS_EXAMPLES="linear-regression kmeans" benchmarks/runners.sh   # some examples
# Every run has a deadline (RUNNERS_TIMEOUT seconds, default 300): loops run one Flink job per
# iteration, so logistic regression's 200 iterations take far longer on Flink than on local.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${RUNNERS_OUT:-$ROOT/benchmarks/target/runners}"
N="${RUNNERS_BIG_N:-134217728}" # 1 GiB of float64
LIMIT="${RUNNERS_TIMEOUT:-300}"
EXAMPLES="${RUNNERS_EXAMPLES:-$(ls "$ROOT/examples" | tr '\n' ' ')}"
J="$ROOT/bin/jetlag"
mkdir -p "$OUT"
: > "$OUT/times.tsv"

now() { date +%s.%N; }

if [ "$N" -gt 0 ]; then
  python3 - "$OUT" "$N" <<'PY'
import json, os, sys
import numpy as np
d, n = sys.argv[1], int(sys.argv[2])
path = os.path.join(d, "big.npy")
if not (os.path.exists(path) and np.load(path, mmap_mode="r").shape == (n,)):
    m = np.lib.format.open_memmap(path, mode="w+", dtype=np.float64, shape=(n,))
    step = 16_000_000
    for i in range(0, n, step):
        m[i:i + step] = np.sin(np.arange(i, min(n, i + step), dtype=np.float64) * 1e-6)
    m.flush()
graph = {"formatVersion": 1, "name": "big-ew-sum", "nodes": [
    {"id": "x", "op": "input", "params": {"name": "x", "dtype": "float64", "shape": [None]}},
    {"id": "two", "op": "constant", "params": {"value": 2.0}},
    {"id": "one", "op": "constant", "params": {"value": 1.0}},
    {"id": "scaled", "op": "mul"}, {"id": "shifted", "op": "add"}, {"id": "sq", "op": "square"},
    {"id": "total", "op": "sum"}, {"id": "biggest", "op": "max"},
    {"id": "out_total", "op": "output", "params": {"name": "total"}},
    {"id": "out_max", "op": "output", "params": {"name": "max"}}],
  "edges": [
    {"from": "x:out", "to": "scaled:a"}, {"from": "two:out", "to": "scaled:b"},
    {"from": "scaled:out", "to": "shifted:a"}, {"from": "one:out", "to": "shifted:b"},
    {"from": "shifted:out", "to": "sq:x"}, {"from": "sq:out", "to": "total:x"},
    {"from": "sq:out", "to": "biggest:x"},
    {"from": "total:out", "to": "out_total:x"}, {"from": "biggest:out", "to": "out_max:x"}]}
json.dump(graph, open(os.path.join(d, "big.json"), "w"), indent=1)
PY
fi

t0=$(now)
master=$("$J" cluster start --dir "$OUT/cluster" --slots 2 --memory 3GiB -q)
t1=$(now)
trap '"$J" cluster stop --dir "$OUT/cluster" > /dev/null 2>&1 || true' EXIT
printf "cluster-start\t-\t%s\n" "$(awk "BEGIN{printf \"%.2f\", $t1 - $t0}")" >> "$OUT/times.tsv"

run() { # name graph runner-args... ; inputs come from the example folder
  local name="$1" graph="$2" label="$3"
  shift 3
  local dir
  dir="$(dirname "$graph")"
  local args=()
  if [ -f "$dir/example.properties" ]; then
    for i in $(sed -n 's/^inputs=//p' "$dir/example.properties" | tr ',' ' '); do
      args+=(--input "$i=$dir/$i.npy")
    done
  else
    args+=(--input "x=$OUT/big.npy")
  fi
  local s e
  s=$(now)
  if timeout "$LIMIT" "$J" run "$graph" "${args[@]}" "$@" -q --format npy \
    -o "$OUT/out/$name/$label" > /dev/null; then
    e=$(now)
    printf "%s\t%s\t%s\n" "$name" "$label" "$(awk "BEGIN{printf \"%.2f\", $e - $s}")" >> "$OUT/times.tsv"
  else
    printf "%s\t%s\t%s\n" "$name" "$label" "-1" >> "$OUT/times.tsv"
  fi
}

for name in $EXAMPLES; do
  g="$ROOT/examples/$name/graph.json"
  [ -f "$g" ] || continue
  run "$name" "$g" local
  run "$name" "$g" direct --runner direct
  run "$name" "$g" flink-embedded --runner flink
  run "$name" "$g" flink-cluster --runner flink --flink-master "$master"
done
if [ "$N" -gt 0 ]; then
  for r in local "direct --runner direct" "flink-embedded --runner flink" \
    "flink-cluster --runner flink --flink-master $master"; do
    # shellcheck disable=SC2086
    run big "$OUT/big.json" $r
  done
fi

python3 - "$OUT" <<'PY'
import collections, os, sys
import numpy as np
d = sys.argv[1]
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(d, "times.tsv"))]
start = [float(r[2]) for r in rows if r[0] == "cluster-start"][0]
t = collections.OrderedDict()
for name, label, s in rows:
    if name != "cluster-start":
        t.setdefault(name, {})[label] = float(s)
labels = ["local", "direct", "flink-embedded", "flink-cluster"]
print(f"Flink session cluster start to ready: {start:.1f} s (once, not in the rows below)\n")
print("| graph | " + " | ".join(labels) + " | same outputs as local |")
print("| --- |" + " --- |" * (len(labels) + 1))
for name, by in t.items():
    same = True
    base = os.path.join(d, "out", name, "local")
    for lab in labels[1:]:
        if by.get(lab, -1) < 0:
            continue
        for f in os.listdir(base):
            a, b = np.load(os.path.join(base, f)), np.load(os.path.join(d, "out", name, lab, f))
            same &= a.shape == b.shape and np.allclose(a, b, rtol=1e-9, atol=0)
    limit = os.environ.get("RUNNERS_TIMEOUT", "300")
    cells = [f"> {limit} s" if by.get(l, -1) < 0
             else f"{by[l]:.1f} s" if l == "local"
             else f"{by[l]:.1f} s ({by[l] / by['local']:.0f}×)" for l in labels]
    print(f"| {name} | " + " | ".join(cells) + f" | {'yes' if same else 'NO'} |")
PY

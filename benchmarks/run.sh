#!/usr/bin/env bash
# JetLag benchmark: the local runner against NumPy and Dask (and a STREAM-triad yardstick) on the
# same work, same machine, same run. Prints one table; raw lines go to benchmarks/target/.
#   benchmarks/run.sh            # everything, 5 timed repetitions each (median), ~6-8 min
#   REPS=7 benchmarks/run.sh     # more repetitions
#   SKIP_BUILD=1 benchmarks/run.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
T="$HERE/target"
REPS="${REPS:-5}"
PY="${PEER_PYTHON:-/usr/bin/python3}"   # Debian's python3-numpy + python3-dask
mkdir -p "$T"

if ! "$PY" -c 'import numpy, dask' 2>/dev/null; then
  echo "need numpy and dask for $PY: apt-get update && apt-get install -y python3-numpy python3-dask" >&2
  exit 1
fi

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "== building the local runner and its dependencies (offline, tests skipped)" >&2
  (cd "$ROOT" && mvn -B -ntp -q -o install -Dmaven.test.skip=true -Dspotless.check.skip=true \
     -pl runners/local -am) >&2 || echo "(build failed; using the jars already in ~/.m2)" >&2
fi
mvn -B -ntp -q -o -f "$ROOT/runners/local/pom.xml" dependency:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$T/deps.txt" >&2
VERSION=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)
CP="$HOME/.m2/repository/org/jetlag/jetlag-runner-local/$VERSION/jetlag-runner-local-$VERSION.jar:$(cat "$T/deps.txt")"
rm -rf "$T/classes"
javac -d "$T/classes" -cp "$CP" "$HERE"/java/src/org/jetlag/bench/*.java
HAVE_C=0
if command -v gcc >/dev/null && gcc -O3 -march=native -fopenmp "$HERE/c/triad.c" -o "$T/triad" 2>/dev/null; then
  HAVE_C=1
fi

# As bin/jetlag does: keep freed native chunks in the malloc heap instead of unmapping them.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-1073741824}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}"
# 50 M float64 = 400 MB per array; inputs live in direct memory, blocks and the triad on the heap.
JAVA=(java -Xmx6g -XX:MaxDirectMemorySize=10g --add-opens=java.base/java.nio=ALL-UNNAMED
      -Dslf4j.internal.verbosity=ERROR -cp "$T/classes:$CP" org.jetlag.bench.Bench)
OUT="$T/results-$(date -u +%Y%m%dT%H%M%SZ).txt"
: > "$OUT"
{
  echo "INFO date $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "INFO cpu $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) x $(nproc) cores"
  echo "INFO java $(java -version 2>&1 | head -1)"
  echo "INFO blas $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo '?')"
  echo "INFO reps $REPS"
  "$PY" "$HERE/peers.py" versions
} >> "$OUT"

step() { echo "== ${*: -2}" >&2; "$@" 2>>"$T/stderr.log" | tee -a "$OUT" | grep -E "^(RESULT|INFO)" >&2 || { echo "FAILED: $*" >&2; echo "FAILED ${*: -2}" >> "$OUT"; }; }

# Alternate JetLag and the peers group by group, so each pair runs at nearly the same moment.
if [ "$HAVE_C" = 1 ]; then OMP_NUM_THREADS=2 step "$T/triad" "$REPS"; fi
step "${JAVA[@]}" triad "$REPS"
for g in elementwise transcendental reductions matmul ml overhead; do
  step "${JAVA[@]}" "$g" "$REPS"
  step "$PY" "$HERE/peers.py" "$g" "$REPS"
done
# Tracing on vs off is JetLag against itself; more repetitions, as the difference is small.
step "${JAVA[@]}" tracing "$((REPS * 3))"
# Peak RSS: fresh processes running the 50 M chain once (VmHWM / ru_maxrss vs the live arrays).
step "${JAVA[@]}" rss 1 fused
step "${JAVA[@]}" rss 1 chain20
step "$PY" "$HERE/peers.py" rss

echo >&2
"$PY" "$HERE/report.py" "$OUT" | tee "$T/table.md"
echo "(raw results: $OUT)"

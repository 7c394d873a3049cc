#!/usr/bin/python3
"""Turns the RESULT/INFO lines of benchmarks/run.sh into one Markdown table (stdlib only)."""
import sys

N, M, MM, ROWS, ITERS, TINY = 50_000_000, 5000, 2000, 1_000_000, 10, 100_000
GB = 1e9

res, info = {}, {}
for line in open(sys.argv[1]):
    p = line.split(None, 2)
    if len(p) == 3 and p[0] == "RESULT":
        res[p[1]] = float(p[2])
    elif len(p) >= 2 and p[0] == "INFO":
        info[p[1]] = p[2].strip() if len(p) == 3 else ""


def get(k):
    return res.get(k)


def f(v, unit):
    if v is None:
        return "—"
    return f"{v:,.1f} {unit}" if v < 1000 else f"{v:,.0f} {unit}"


def r(x):
    return "—" if x is None else f"{x:.2f}×"


rows = []  # work, jetlag, numpy, dask, vs numpy, vs dask, target, verdict


def speed(key, work, unit):
    t = get(key)
    return None if t is None else work / t


def ratio(a, b):
    return None if a is None or b is None else a / b


triad_c = speed("c.triad", 3 * 8 * N / GB, "GB/s")
triad_j = speed("java.triad", 3 * 8 * N / GB, "GB/s")
triad = triad_c or triad_j


def check(conds):
    conds = [c for c in conds if c[0] is not None]
    if not conds:
        return "—"
    bad = [name for v, lim, name in conds if v < lim]
    return "met" if not bad else "NOT met (" + ", ".join(bad) + ")"


def stream_row(name, key, work_gb):
    jl = speed(f"jetlag.{key}", work_gb, "")
    npv = speed(f"numpy.{key}", work_gb, "")
    dk = speed(f"dask.{key}", work_gb, "")
    rn, rd = ratio(jl, npv), ratio(jl, dk)
    pct = None if jl is None or triad is None else jl / triad
    rows.append((name, f(jl, "GB/s") + (f" ({pct:.0%} of triad)" if pct else ""), f(npv, "GB/s"),
                 f(dk, "GB/s"), r(rn), r(rd), "≥2× NumPy, ≥3× Dask, ≥70 % triad",
                 check([(rn, 2, "NumPy"), (rd, 3, "Dask"), (pct, 0.7, "triad")])))


rows.append(("STREAM triad 50 M (C+OpenMP, 2 thr; Java 2-thr loop)",
             f(triad_c, "GB/s") + " C; " + f(triad_j, "GB/s") + " Java", "", "", "", "",
             "yardstick (doc: ≈65 GB/s)", ""))
stream_row("`a*b+2`, 50 M float64 (3 arrays)", "ew.fused", 3 * 8 * N / GB)
stream_row("`((a*b+2)*a-b)/2`, 50 M (3 arrays)", "ew.chain5", 3 * 8 * N / GB)
one = speed("jetlag.ew.fused_onechunk_input", 3 * 8 * N / GB, "")
inpl = speed("numpy.ew.fused_inplace", 3 * 8 * N / GB, "")
rows.append(("  (`a*b+2`: JetLag inputs as 1 chunk; NumPy with out=)", f(one, "GB/s"), f(inpl, "GB/s"),
             "", r(ratio(one, inpl)), "", "info", ""))

jl, npv, dk = (speed(f"{p}.transc", N / 1e6, "") for p in ("jetlag", "numpy", "dask"))
rows.append(("`sqrt(a)+sin(b)`, 50 M", f(jl, "M el/s"), f(npv, "M el/s"), f(dk, "M el/s"),
             r(ratio(jl, npv)), r(ratio(jl, dk)), "≥1× NumPy", check([(ratio(jl, npv), 1, "NumPy")])))

for name, key, work in (("`sum(a)`, 50 M", "sum", 8 * N / GB),
                        ("`mean(A, axis=0)`, 5000²", "mean_axis0", 8 * M * M / GB),
                        ("`mean(A, axis=1)`, 5000²", "mean_axis1", 8 * M * M / GB)):
    jl, npv, dk = (speed(f"{p}.{key}", work, "") for p in ("jetlag", "numpy", "dask"))
    rows.append((name, f(jl, "GB/s"), f(npv, "GB/s"), f(dk, "GB/s"), r(ratio(jl, npv)),
                 r(ratio(jl, dk)), "≥2× NumPy", check([(ratio(jl, npv), 2, "NumPy")])))

jl, npv, dk = (speed(f"{p}.matmul", 2 * MM**3 / 1e9, "") for p in ("jetlag", "numpy", "dask"))
rows.append(("matmul 2000² float64", f(jl, "GFLOP/s"), f(npv, "GFLOP/s"), f(dk, "GFLOP/s"),
             r(ratio(jl, npv)), r(ratio(jl, dk)), "≥0.9× NumPy; pure Java ≥10 GFLOP/s",
             check([(ratio(jl, npv), 0.9, "NumPy"), (jl, 10, "10 GFLOP/s")])))


def ms(key, div):
    t = get(key)
    return None if t is None else t * 1e3 / div


for name, key in (("logistic-regression step, X 1M×10", "logreg"), ("k-means iteration k=8, X 1M×10", "kmeans")):
    for label, sub, div in (("loop of 10, per iter", f"loop{ITERS}", ITERS), ("single-step graph", "step1", 1)):
        jl, npv, dk = (ms(f"{p}.{key}.{sub}", div) for p in ("jetlag", "numpy", "dask"))
        rn, rd = ratio(npv, jl), ratio(dk, jl)  # speed ratio = peer time / jetlag time
        target = "≥3× NumPy, ≥5× Dask" if sub != "step1" else "info"
        rows.append((f"{name} ({label})", f(jl, "ms"), f(npv, "ms"), f(dk, "ms"), r(rn), r(rd), target,
                     check([(rn, 3, "NumPy"), (rd, 5, "Dask")]) if sub != "step1" else ""))

t, tasks = get("jetlag.tiny"), int(info.get("jetlag.tiny.tasks", "0") or 0)
us = None if not t or not tasks else t * 1e6 / tasks
dt, dtasks = get("dask.tiny_delayed"), int(info.get("dask.tiny_delayed.tasks", "0") or 0)
dus = None if not dt or not dtasks else dt * 1e6 / dtasks
at, atasks = get("dask.tiny_array"), int(info.get("dask.tiny_array.tasks", "0") or 0)
aus = None if not at or not atasks else at * 1e6 / atasks
rows.append((f"scheduler: 100k-chunk `sum(x*2+1)`, per task ({tasks:,} tasks, wall {f(t and t*1e3, 'ms')})",
             f(us, "µs"), "", f(dus, "µs") + f" (delayed); {f(aus, 'µs')} (array)", "",
             r(ratio(dus, us)), "≤2 µs, ≥20× Dask", check([(None if us is None else 2 / us, 1, "2 µs"),
                                                           (ratio(dus, us), 20, "Dask")])))

for which, label in (("big", "50 M chain, 256 KiB chunks"), ("small", "1 M chain, 8 KiB chunks")):
    on, off = get(f"jetlag.tracing.{which}.on"), get(f"jetlag.tracing.{which}.off")
    spans = info.get(f"jetlag.tracing.{which}.spans", "?")
    cost = None if not on or not off else on / off - 1
    rows.append((f"tracing on vs off: {label} ({spans} spans)",
                 f(on and on * 1e3, "ms") + " on; " + f(off and off * 1e3, "ms") + " off", "", "",
                 "—" if cost is None else f"{cost:+.1%}", "", "≤ 3 % slower",
                 "—" if cost is None else ("met" if cost <= 0.03 else "NOT met")))

for which in ("fused", "chain20"):
    hwm, live = info.get(f"rss.{which}.hwm_kb"), info.get(f"rss.{which}.live_bytes")
    base = info.get(f"rss.{which}.baseline_kb")
    if hwm and live:
        hwm_b, live_b = int(hwm) * 1024, int(live)
        q = hwm_b / live_b
        rows.append((f"peak RSS, 50 M {'`a*b+2`' if which == 'fused' else '21-op chain'} (live set {live_b/GB:.1f} GB)",
                     f"{hwm_b/GB:.2f} GB ({q:.2f}× live; JVM base {int(base)/1e6:.2f} GB)", "", "", "", "",
                     "≤1.5× live set", check([(1.5 / q, 1, "1.5×")])))
hwm, live = info.get("rss.numpy.chain5.hwm_kb"), info.get("rss.numpy.chain5.live_bytes")
if hwm and live:
    rows.append(("  (NumPy 5-op chain peak RSS)", "", f"{int(hwm)*1024/GB:.2f} GB ({int(hwm)*1024/int(live):.2f}× live)",
                 "", "", "", "info", ""))

print(f"JetLag benchmark, {info.get('date', '?')}, {info.get('cpu', '?')}; {info.get('java', '')}; "
      f"Python {info.get('peer.python')}, NumPy {info.get('peer.numpy')}, Dask {info.get('peer.dask')} "
      f"(threads, 2); BLAS {info.get('blas')}; median of {info.get('reps')} runs after warm-up.")
print("Ratios are JetLag speed ÷ peer speed (>1 = JetLag faster).\n")
hdr = ("work", "JetLag", "NumPy", "Dask", "JetLag/NumPy", "JetLag/Dask", "target", "verdict")
print("| " + " | ".join(hdr) + " |")
print("|" + "---|" * len(hdr))
for row in rows:
    print("| " + " | ".join(row) + " |")
failed = [l.strip() for l in open(sys.argv[1]) if l.startswith("FAILED")]
for l in failed:
    print(f"\n{l}")
